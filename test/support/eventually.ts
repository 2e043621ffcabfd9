/** Polls `probe` until it holds, or fails after `ms`: for what arrives a moment later (a notification). */
export async function eventually(probe: () => Promise<boolean>, ms = 1000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('not within the time allowed');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
