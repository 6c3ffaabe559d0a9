/**
 * CPU time this process has used, in milliseconds. Cost checks compare it rather than wall time: another
 * process keeping a core busy stretches wall time, not the CPU time our own work takes.
 */
export function cpuMillis(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
