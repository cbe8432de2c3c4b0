/**
 * Reads a process's output stream to its end, chunk by chunk. Shared by the Run process and the
 * check run, which both turn a runtime's text stream into lines for the learner.
 */
export async function pump(
  stream: ReadableStream<string>,
  onChunk: (chunk: string) => void,
): Promise<void> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      if (value) onChunk(value);
    }
  } catch {
    /* the stream errors when its process is killed; the exit code tells the story */
  } finally {
    reader.releaseLock();
  }
}
