/** The terminal spinner of `natlint lint` (ora, loaded only when there is a terminal to draw on): files done / total. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export async function startProgress(stream: NodeJS.WritableStream): Promise<Progress> {
  const ora = (await import("ora")).default;
  const spinner = ora({ text: "natlint: finding config files", stream: stream as NodeJS.WriteStream }).start();
  return {
    update(done, total) {
      spinner.text = `natlint: ${done}/${total} file${total === 1 ? "" : "s"} linted`;
    },
    stop() {
      spinner.stop();
    },
  };
}
