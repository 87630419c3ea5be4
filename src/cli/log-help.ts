export const LOG_HELP = `Usage: prtip log COMMAND [options] FILE...
  FILE is a log (.jsonl or .jsonl.gz, read transparently), a folder of rotated logs,
  or - for stdin (the default). Every FILE is read, in the order given, as cat reads
  them: a - among files is stdin at its place (a.jsonl - b.jsonl). Several files of
  a rotated set are read in log_started/continues order; a file holding the same log
  as another (X.jsonl and X.jsonl.gz) is read once. An empty file is not a log (exit 3).
  A missing FILE whose rotated set exists (NAME.N.EXT[.gz], NAME-YYYY-MM-DD[-HH][.N].EXT[.gz])
  is that set: tail reads its newest lines, the others all of it.

COMMANDS:
  filter    print the matching lines, byte for byte
  summary   per scan: hosts up, open ports, services, event counts, warnings, rates
  replay    publish the events again at the recorded pace
  tail      the last lines; -f follows the log as it is written, across rotation
  diff A B  hosts up/down, ports opened/closed, services changed from scan A to B;
            diff --scan-id A --scan-id B FILE: two scans of one log

SELECTING EVENTS (filter, replay, tail):
  --event T1,T2         event types (PortFound, ServiceDetected, ...)
  --category C          lifecycle | discovery | detection | progress | diagnostic
  --scan-id ID          one scan: its id or a unique prefix of it (3f2b8c1e), as git takes
                        a commit; a prefix that starts two scans is refused (exit 2)
  --since T, --until T  from T (inclusive) to T (exclusive): ISO 8601 (2024-11-15T10:30:00Z,
                        2024-11-15T11:30:00+01:00), a space for the T as date prints it
                        (2024-11-15 10:30:05), or a span back from now (15m, 2h, 7d).
                        Without Z or an offset a time is LOCAL (TZ), as date -d and
                        journalctl read it; the log's times, and the output, are UTC.
                        --since not before --until is refused (exit 2)
  --target CIDR         events whose target or ip is in CIDR
  --port 22,80-90       events whose port is in the list
  --where EXPR          field=v (or ==), field!=v, field>n, field>=n, field<n, field<=n,
                        field~regex; paths dotted or as jq writes them (.extra.a, san[0]);
                        "v" in quotes matches strings only; repeatable, all must hold.
                        As in jq, a missing field is null: x=null holds, x!=null does not,
                        x!=v does. On an array (san), = and ~ hold if any element does,
                        != if none does. Unlike jq, >, <, >=, <= hold only for numbers
FILTER:
  --count               print the number of matching lines
  --count-by FIELD      count matching lines per value of FIELD (event, port, target, ...);
                        an array field (san) counts each element, an empty one as (none)
  --top N               with --count-by: the N most frequent values
  --format F            lines (default) | table | csv | json; with --count-by, the counts
                        as a headed table, CSV (count,FIELD) or a JSON array of {FIELD, count}
SUMMARY:
  --json | --markdown   instead of the text table
                        scans in log order; says "cut short", "log starts mid-scan", seq gaps;
                        start and end in UTC (2024-11-15T10:30:00.000Z), usable as --since
  --scan-id ID          only that scan (id or unique prefix)
REPLAY:
  prints one line per event, 10:30:00.123Z PortFound port=22 ... (UTC, Z, as the log is),
  and the date on a line of its own, -- 2024-11-15 (UTC) --, first and whenever it changes
  --speed X             1 = recorded pace (default), 20 = twenty times faster, max = no waits
  --max-gap D           cut recorded idle stretches to D (5s, 500ms)
  --from T, --to T      replay only events in [T, T), times as for --since
  --emit                write the events as JSON Lines to stdout (each line as logged, seq kept)
  --live                the full-screen dashboard of a live scan (p pauses, q quits)
  --progress-style S    compact | detailed | bars (progress on stderr, one line per event on stdout)
  --eta M               linear | ewma | multi
  --no-progress         events only
DIFF:
  --scan-id ID (twice)  A's scan, then B's (id or unique prefix): of one FILE, or of A and B;
                        without it, a side holding several scans is compared merged (each
                        port's last state), and stderr names them
  --json                the diff as JSON
  -v, --verbose         also list the ports open in A that B never probed (not called closed)
TAIL:
  -n, --lines N         how many lines to print first (default 10); without a selector a
                        plain file is read from its end, as tail does (lines before are not
                        checked; --strict reads all)
  -f, --follow          keep printing new lines, following rotation; a FILE not there yet
                        is waited for (as tail -F), so tail can start before the scan
ALL:
  --strict              stop at the first malformed line or damaged file (exit 1)

Exit codes: 0 clean, 3 some input skipped (reported on stderr), 1 --strict stop or failure,
2 usage error, 130 interrupted.
`;
