/** Windows' default dynamic TCP range: 49152 + 16384 ports. */
export const defaultDynamicPorts = { start: 49_152, count: 16_384 } as const;

/**
 * Reads `netsh int ipv4 show dynamicport tcp`. The labels are localized
 * ("Start Port", "Port de démarrage"…), so the two numbers are taken by
 * position: the first `label : number` line is the start port, the second the
 * number of ports.
 */
export function parseDynamicPortRange(text: string | null | undefined): { start: number; count: number } | null {
  if (!text) return null;
  const numbers: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /:\s*(\d+)\s*$/.exec(line);
    if (match?.[1]) numbers.push(Number(match[1]));
  }
  const [start, count] = numbers;
  if (start === undefined || count === undefined) return null;
  if (start < 1 || start > 65_535 || count < 1 || start + count - 1 > 65_535) return null;
  return { start, count };
}
