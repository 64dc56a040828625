/** Where a command writes: injected so that tests capture it and no code in src/ uses console. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the user interrupts (Ctrl-C); long-running commands race against it. */
  interrupted?: Promise<void>;
}
