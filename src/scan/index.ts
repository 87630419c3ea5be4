// Public entry of the scan engine: targets, ports, order, timing, techniques, engine.
export type { Probe, PortResult, Pacer, Technique, TechniqueContext } from "./technique.ts";
export type { ScanControl } from "./control.ts";
export { type Family, parseIPv4, parseIPv6, formatIPv4, formatIPv6, familyOf } from "./address.ts";
export { type Block, type TargetItem, parseTarget, targetsInText } from "./target-spec.ts";
export { TargetSet } from "./target-set.ts";
export { type Resolver, type TargetPlan, planTargets, checkScanSize, resolveTargets, LARGE_SCAN } from "./targets.ts";
export { parsePorts, choosePorts, FAST_PORTS, DEFAULT_TOP_PORTS } from "./ports.ts";
export { RANKED_PORTS, topPorts, serviceName } from "./port-rank.ts";
export { Permutation, type Shard, shardLength, shardOrder } from "./permutation.ts";
export { TIMING, type TimingTemplate, timingTemplate } from "./timing.ts";
export { TokenBucket, type Sleep, realSleep } from "./pacer.ts";
export { RttEstimator } from "./rtt.ts";
export { type Dial, type DialOutcome, netDial, classifyError } from "./dial.ts";
export { ConnectTechnique, type ConnectOptions } from "./connect.ts";
export { ConnectDiscovery, type HostDiscovery, type DiscoveryContext } from "./discovery.ts";
export type { ServiceDetector, DetectionContext } from "./service-hook.ts";
export { ProgressMeter, STAGES } from "./progress-meter.ts";
export { ScanEngine, type ScanPlan, type EngineDeps, type ScanOutcome, type Ticker, intervalTicker, PROGRESS_EVERY_MS } from "./engine.ts";
