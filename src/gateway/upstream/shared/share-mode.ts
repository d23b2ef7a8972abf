/**
 * Who may share one upstream connection (`servers.NAME.share`):
 *   none       every session gets its own (a stdio child each): nothing is shared
 *   principal  the sessions one principal opens share one; another principal never joins them
 *   all        every session shares one, whoever opened it (for servers that hold no caller's data)
 */
export const SHARE_MODES = ["none", "principal", "all"] as const;
export type ShareMode = (typeof SHARE_MODES)[number];
