/** Progress lines for long commands: on stderr, so stdout stays clean for tables and JSON. */
export interface Progress {
  step(message: string): void;
  done(message: string): void;
  info(message: string): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const color = stream.isTTY
    ? (code: number, s: string) => `\x1b[${code}m${s}\x1b[0m`
    : (_: number, s: string) => s;
  return {
    step: (m) => stream.write(`${color(36, "▶")} ${m}\n`),
    done: (m) => stream.write(`${color(32, "✔")} ${m}\n`),
    info: (m) => stream.write(`  ${color(90, m)}\n`),
  };
}
