/**
 * Ink's frame cap for the full-screen client. 60 Hz, because a key pressed just after a frame
 * (the header clock draws one every second) waits for the next one: at 30 Hz that wait alone is
 * up to 33 ms, the whole keystroke budget (bench:tui, docs/tui.md). A burst of events still draws
 * at most 60 frames a second, each from the frame cache.
 */
export const MAX_FPS = 60;
