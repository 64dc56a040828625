/** Where a command writes: injected so that tests capture it and no code in src/ uses console. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands stop and report. */
  interrupted?: Promise<'SIGINT' | 'SIGTERM' | void>;
  /** True when stdout is a terminal: progress bars instead of plain lines. */
  isTTY?: boolean;
  /** The stream the progress bar draws on. */
  progressStream?: NodeJS.WritableStream;
}
