// ServiceDetected carries the version as the server announced it: SSH's
// software-version field ("OpenSSH_9.2p1 Debian-2+deb12u3"), HTTP's Server
// header ("Apache/2.4.52 (Ubuntu)"), a product from a greeting ("Redis 7.0.11").
// nmap's formats want product, version and extra info, plus the host name and
// OS a service gives away (its "Service Info" line). These rules read each
// protocol's own field syntax; they are not taken from nmap-service-probes.

export interface VersionFields {
  product: string;
  version: string | null;
  extrainfo: string | null;
  /** A host name the service announced (an SMTP greeting's). */
  hostname: string | null;
  /** The OS family the version text names (a Linux distribution's package revision). */
  ostype: string | null;
}

const SPLIT = /^(.+?)[/_ ]v?(\d[^ ]*(?: [^(]+?)?)\s*(?:\((.+)\))?$/;
const PRODUCT_AND_EXTRA = /^(.+?)\s*\((.+)\)$/;

/** Generic "Product 1.2 (extra)" / "Product/1.2" / "Product_1.2" split. */
export function serviceParts(text: string): { product: string; version: string | null; extrainfo: string | null } {
  const trimmed = text.trim();
  const m = SPLIT.exec(trimmed);
  if (m) return { product: m[1]!, version: m[2]!.trim(), extrainfo: m[3] ?? null };
  const p = PRODUCT_AND_EXTRA.exec(trimmed);
  if (p) return { product: p[1]!, version: null, extrainfo: p[2]! };
  return { product: trimmed, version: null, extrainfo: null };
}

// Distributions whose OpenSSH packages put "<Distro>-<package revision>" in the SSH comment.
const LINUX_DISTROS = /^(Debian|Ubuntu|Raspbian|Fedora|CentOS|RedHat|Red Hat|Alpine|Arch)\b/i;

/**
 * RFC 4253 4.2: "SSH-protoversion-softwareversion SP comments". The software
 * version is "<product>_<version>" by convention; a distribution's comment
 * "Debian-2+deb12u3" is the package revision, so it joins the version
 * ("9.2p1 Debian 2+deb12u3"); other comments go to the extra info. The
 * protocol version comes from the banner line, when there is one.
 */
function sshFields(announced: string, banner: string | null): VersionFields {
  const space = announced.indexOf(" ");
  const software = space < 0 ? announced : announced.slice(0, space);
  const comment = space < 0 ? "" : announced.slice(space + 1).trim();
  const cut = software.search(/[_-]\d/);
  const product = cut < 0 ? software : software.slice(0, cut);
  let version: string | null = cut < 0 ? null : software.slice(cut + 1);
  const extra: string[] = [];
  const distro = LINUX_DISTROS.exec(comment);
  if (distro && /^\S+$/.test(comment)) version = [version, comment.replace(/-/, " ")].filter((s) => s !== null).join(" ");
  else if (comment !== "") extra.push(comment);
  const proto = banner === null ? null : /^SSH-(\d+\.\d+)-/.exec(banner);
  if (proto) extra.push(`protocol ${proto[1]}`);
  return { product, version, extrainfo: extra.length === 0 ? null : extra.join("; "), hostname: null, ostype: distro ? "Linux" : null };
}

// Server-header product tokens whose server nmap and its users call by a longer name.
const HTTP_PRODUCTS: Readonly<Record<string, string>> = {
  Apache: "Apache httpd",
  "Microsoft-IIS": "Microsoft IIS httpd",
};

/**
 * RFC 9110 10.2.4: Server = product *( RWS ( product / comment ) ), product =
 * token ["/" version]. The first product is the server; what follows it
 * (comments in their parentheses, further products) is kept as the extra info.
 */
function httpFields(announced: string): VersionFields {
  const m = /^([^\s/()]+)(?:\/(\S+))?\s*(.*)$/.exec(announced.trim());
  if (!m) return { ...serviceParts(announced), hostname: null, ostype: null };
  const [, token, version, rest] = m;
  return { product: HTTP_PRODUCTS[token!] ?? token!, version: version ?? null, extrainfo: rest === "" ? null : rest!, hostname: null, ostype: null };
}

/** RFC 5321 4.3.1: the greeting is "220 <domain> …", the server's own name. */
function smtpHost(banner: string | null): string | null {
  const m = banner === null ? null : /^220[ -]([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z0-9.-]*[A-Za-z]|[A-Za-z][A-Za-z0-9-]*)(?=[ \\]|$)/.exec(banner);
  if (!m || /^E?SMTP$/i.test(m[1]!)) return null;
  return m[1]!;
}

/** The fields of one detected service, by its protocol's rules; `banner` is its BannerGrabbed text, if any. */
export function versionFields(service: string, announced: string | null, banner: string | null): VersionFields | null {
  const hostname = service === "SMTP" || service === "SMTPS" ? smtpHost(banner) : null;
  if (announced === null || announced.trim() === "") return hostname === null ? null : { product: "", version: null, extrainfo: null, hostname, ostype: null };
  if (service === "SSH") return sshFields(announced.trim(), banner);
  if (service === "HTTP" || service === "HTTPS") return httpFields(announced);
  return { ...serviceParts(announced), hostname, ostype: null };
}
