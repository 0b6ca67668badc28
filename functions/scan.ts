// Placeholder: replaced by the real scan handler (being written).
export const handler = async (): Promise<{ ok: boolean }> => ({ ok: true });
