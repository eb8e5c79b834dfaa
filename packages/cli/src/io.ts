/** What a CLI command may touch outside itself; `main.ts` wires it to the process, tests may fake it. */
export interface CliIo {
  /** Writes to standard output (the result). */
  out(text: string): void;
  /** Writes to standard error (messages, prompts, progress). */
  err(text: string): void;
  /** True when standard input is a terminal a human can answer prompts on. */
  readonly interactive: boolean;
  /** Shows `prompt` and reads one line of input. */
  ask(prompt: string): Promise<string>;
}
