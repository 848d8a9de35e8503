export async function supervisionRoutes(_app: unknown, _o: unknown): Promise<void> {}
