import type { ScanEvent } from "../../src/events/index.ts";

export const SCAN_ID = "3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b";
export const T0 = Date.UTC(2024, 10, 15, 10, 30, 1, 123); // 2024-11-15T10:30:01.123Z

const base = { scan_id: SCAN_ID, seq: 7, timestamp: T0 };

/** One example of every event type and the exact line the contract requires for it. */
export const GOLDEN: [ScanEvent, string][] = [
  [
    { event: "ScanStarted", ...base, scan_type: "Syn", target_count: 256, port_count: 1000 },
    '{"event":"ScanStarted","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","scan_type":"Syn","target_count":256,"port_count":1000,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    {
      event: "ScanCompleted",
      ...base,
      targets_scanned: 256,
      ports_scanned: 256000,
      duration: 12.5,
      hosts_up: 3,
      open_ports: 7,
      closed_ports: 12,
      filtered_ports: 255981,
      services_detected: 4,
    },
    '{"event":"ScanCompleted","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","targets_scanned":256,"ports_scanned":256000,"duration":12.5,"hosts_up":3,"open_ports":7,"closed_ports":12,"filtered_ports":255981,"services_detected":4,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "ScanCancelled", ...base, reason: "SIGINT", partial_results: true },
    '{"event":"ScanCancelled","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","reason":"SIGINT","partial_results":true,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "ScanPaused", ...base, reason: "user_requested" },
    '{"event":"ScanPaused","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","reason":"user_requested","seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "ScanResumed", ...base, paused_seconds: 4.25 },
    '{"event":"ScanResumed","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","paused_seconds":4.25,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "HostDiscovered", ...base, ip: "198.18.0.5", method: "ARP", latency_ms: null },
    '{"event":"HostDiscovered","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","ip":"198.18.0.5","method":"ARP","latency_ms":null,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "PortFound", ...base, target: "198.18.0.5", port: 22, protocol: "Tcp", state: "Open", reason: "syn-ack" },
    '{"event":"PortFound","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","port":22,"protocol":"Tcp","state":"Open","reason":"syn-ack","seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "IPv6PortFound", ...base, target: "2001:db8::5", port: 443, protocol: "Tcp", state: "Closed", reason: "rst" },
    '{"event":"IPv6PortFound","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"2001:db8::5","port":443,"protocol":"Tcp","state":"Closed","reason":"rst","seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "ServiceDetected", ...base, target: "198.18.0.5", port: 80, service: "HTTP", version: "Apache/2.4.52", confidence: 95 },
    '{"event":"ServiceDetected","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","port":80,"service":"HTTP","version":"Apache/2.4.52","confidence":95,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "OSDetected", ...base, target: "198.18.0.5", os: "Linux", os_version: null, confidence: 80 },
    '{"event":"OSDetected","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","os":"Linux","os_version":null,"confidence":80,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "BannerGrabbed", ...base, target: "198.18.0.5", port: 22, protocol: "Tcp", banner: 'SSH-2.0-OpenSSH_9.2p1 "q"\\' },
    '{"event":"BannerGrabbed","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","port":22,"protocol":"Tcp","banner":"SSH-2.0-OpenSSH_9.2p1 \\"q\\"\\\\","seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    {
      event: "CertificateFound",
      ...base,
      target: "198.18.0.5",
      port: 443,
      subject: "CN=lab.test",
      issuer: "CN=lab.test",
      valid_from: "2024-11-15T00:00:00.000Z",
      valid_until: "2025-11-15T00:00:00.000Z",
      san: ["lab.test", "www.lab.test"],
      sha256: "ab".repeat(32),
      self_signed: true,
    },
    `{"event":"CertificateFound","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","port":443,"subject":"CN=lab.test","issuer":"CN=lab.test","valid_from":"2024-11-15T00:00:00.000Z","valid_until":"2025-11-15T00:00:00.000Z","san":["lab.test","www.lab.test"],"sha256":"${"ab".repeat(32)}","self_signed":true,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}`,
  ],
  [
    {
      event: "ProgressUpdate",
      ...base,
      stage: 3,
      percentage: 42.5,
      completed: 425,
      total: 1000,
      pps: 1240,
      ports_per_sec: 1200.5,
      hosts_per_min: 42,
      bandwidth_bps: 79360,
      eta_seconds: null,
    },
    '{"event":"ProgressUpdate","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","stage":3,"percentage":42.5,"completed":425,"total":1000,"pps":1240,"ports_per_sec":1200.5,"hosts_per_min":42,"bandwidth_bps":79360,"eta_seconds":null,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "StageChanged", ...base, from: "HostDiscovery", to: "PortScanning", stage: 3 },
    '{"event":"StageChanged","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","from":"HostDiscovery","to":"PortScanning","stage":3,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "MetricRecorded", ...base, metric: "rtt_ms", value: 0.35 },
    '{"event":"MetricRecorded","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","metric":"rtt_ms","value":0.35,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "WarningIssued", ...base, message: "libpcap not found: install libpcap0.8", severity: "high", code: "pcap-missing" },
    '{"event":"WarningIssued","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","message":"libpcap not found: install libpcap0.8","severity":"high","code":"pcap-missing","seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "RateLimitTriggered", ...base, current_rate: 12000, target_rate: 10000, duration_ms: 150 },
    '{"event":"RateLimitTriggered","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","current_rate":12000,"target_rate":10000,"duration_ms":150,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
  [
    { event: "RetryScheduled", ...base, target: "198.18.0.5", port: 8080, attempt: 2, delay_ms: 500 },
    '{"event":"RetryScheduled","scan_id":"3f2b8c1e-7d4a-4e6b-9a1c-2b3d4e5f6a7b","target":"198.18.0.5","port":8080,"attempt":2,"delay_ms":500,"seq":7,"timestamp":"2024-11-15T10:30:01.123Z"}',
  ],
];
