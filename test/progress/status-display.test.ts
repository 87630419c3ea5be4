import { describe, expect, test } from "bun:test";
import { StatusDisplay } from "../../src/progress/index.ts";
import type { Room } from "../../src/progress/index.ts";
import { FakeOutput, FakeTime } from "./fakes.ts";

function display(tty: boolean, frames: (room: Room) => string[], plain: () => string | null = () => "status") {
  const time = new FakeTime();
  const out = new FakeOutput(tty, 40);
  const d = new StatusDisplay({ out, clock: time, scheduler: time, tty, frame: frames, plain });
  return { time, out, d };
}

describe("status display", () => {
  test("on a terminal it redraws in place, at most 10 times a second", () => {
    let n = 0;
    const { time, out, d } = display(true, () => [`frame ${n}`]);
    d.start();
    expect(out.text()).toBe("frame 0");
    out.clear();
    for (let i = 1; i <= 50; i++) {
      n = i;
      d.invalidate();
      time.advance(10); // 50 changes over 500 ms
    }
    // first change waits for the 100 ms slot, then one frame per slot
    expect(out.chunks).toEqual([
      "\r\x1b[2Kframe 10",
      "\r\x1b[2Kframe 20",
      "\r\x1b[2Kframe 30",
      "\r\x1b[2Kframe 40",
      "\r\x1b[2Kframe 50",
    ]);
  });

  test("several lines are erased upwards and redrawn", () => {
    let n = 0;
    const { time, out, d } = display(true, () => [`a${n}`, `b${n}`, `c${n}`]);
    d.start();
    n = 1;
    time.advance(100);
    d.invalidate();
    expect(out.chunks).toEqual(["a0\nb0\nc0", "\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2Ka1\nb1\nc1"]);
  });

  test("an unchanged frame writes nothing, and lines are cut to the terminal width", () => {
    const { time, out, d } = display(true, () => ["x".repeat(60)]);
    d.start();
    time.advance(5000);
    expect(out.chunks).toEqual(["x".repeat(39)]);
  });

  test("printAbove puts a result line above the status, never inside it", () => {
    let n = 0;
    const { time, out, d } = display(true, () => [`status ${n}`]);
    d.start();
    n = 1;
    d.printAbove("198.18.0.5:22 open");
    expect(out.text()).toBe("status 0\r\x1b[2K198.18.0.5:22 open\n");
    time.advance(100);
    expect(out.text()).toBe("status 0\r\x1b[2K198.18.0.5:22 open\nstatus 1");
  });

  test("printAbove to another stream on the same terminal erases the status first", () => {
    const { out, d } = display(true, () => ["status"]);
    const results = new FakeOutput(true);
    d.start();
    d.printAbove("result", results);
    expect(out.text()).toBe("status\r\x1b[2K");
    expect(results.text()).toBe("result\n");
  });

  test("not a terminal: no escapes, one plain line every 5 s", () => {
    let n = 0;
    const { time, out, d } = display(false, () => ["never"], () => `plain ${++n}`);
    d.start();
    for (let i = 0; i < 100; i++) {
      d.invalidate();
      time.advance(120);
    }
    expect(out.text()).toBe("plain 1\nplain 2\n");
    d.close();
    expect(out.text()).toBe("plain 1\nplain 2\nplain 3\n");
    expect(out.text()).not.toContain("\x1b");
  });

  test("not a terminal: a run shorter than one interval prints nothing at all", () => {
    const { time, out, d } = display(false, () => ["never"], () => "plain");
    d.start();
    time.advance(4_900);
    d.close();
    expect(out.text()).toBe("");
    expect(time.pending).toBe(0);
  });

  test("close leaves the final frame with a newline and stops the timers", () => {
    const { time, out, d } = display(true, () => ["final"]);
    d.start();
    d.close();
    expect(out.text()).toBe("final\n");
    expect(time.pending).toBe(0);
    d.invalidate();
    d.close();
    expect(out.text()).toBe("final\n");
  });

  test("the frame is asked for the room the terminal has: one column and one row spare", () => {
    const rooms: Room[] = [];
    const { out, d } = display(true, (room) => (rooms.push(room), ["x"]));
    out.rows = 5;
    d.start();
    expect(rooms).toEqual([{ columns: 39, rows: 4 }]);
  });

  test("a frame taller than the terminal keeps its last lines, so no first line scrolls away on each redraw", () => {
    let n = 0;
    const { time, out, d } = display(true, () => ["s1", "s2", "s3", "s4", "s5", `overall ${n}`]);
    out.rows = 4;
    d.start();
    n = 1;
    time.advance(100);
    d.invalidate();
    expect(out.chunks).toEqual(["s4\ns5\noverall 0", "\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2Ks4\ns5\noverall 1"]);
  });

  test("after the terminal narrows, the erase clears every row the old line now wraps over", () => {
    let n = 0;
    const { time, out, d } = display(true, () => [`${"x".repeat(50)} ${n}`]);
    out.columns = 100;
    d.start();
    out.columns = 20; // the 52-column line is now 3 rows
    n = 1;
    time.advance(100);
    d.invalidate();
    expect(out.chunks[1]).toBe("\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K" + "x".repeat(19));
  });

  test("close(erase) wipes the status and stops the timers: the report above it is last on screen", () => {
    const { time, out, d } = display(true, () => ["a", "b"]);
    d.start();
    d.close(true);
    expect(out.text()).toBe("a\nb\r\x1b[2K\x1b[1A\x1b[2K");
    expect(time.pending).toBe(0);
  });
});
