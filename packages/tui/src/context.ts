import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { RequestType, ResultOf, RequestInput } from '@judged/shared/protocol';
import type { ContestData, ClientState } from './state.ts';

/** How screens talk to the server; JudgeClient.request in the app, a fake in tests. */
export interface Api {
  request<T extends RequestType>(frame: RequestInput<T>): Promise<ResultOf<T>>;
}

export type ScreenId =
  | 'problems'
  | 'statement'
  | 'submit'
  | 'submissions'
  | 'scoreboard'
  | 'clarifications'
  | 'queue'
  | 'jury-submissions'
  | 'rejudgings'
  | 'teams'
  | 'contest'
  | 'judgehosts'
  | 'print'
  | 'print-queue'
  | 'balloons';

/** What every screen is given: the cells it may draw in (the app shell takes the rest). */
export interface ScreenProps {
  width: number;
  height: number;
}

export interface NavParams {
  problemId?: string;
  submissionId?: string;
}

export interface AppCtx {
  store: ClientState;
  api: Api;
  go: (screen: ScreenId, params?: NavParams) => void;
  params: NavParams;
  /** Current working directory for file paths (Submit). */
  cwd: string;
  /** Where recent files are remembered; null disables it (tests). */
  recentFile: string | null;
}

export const Ctx = createContext<AppCtx | null>(null);

export function useApp(): AppCtx {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside <Ctx.Provider>');
  return c;
}

/** Subscribe to one slice of the store; re-renders only when that slice changes identity. */
export function useData<T>(select: (d: ContestData) => T): T {
  const { store } = useApp();
  return useSyncExternalStore(store.subscribe, () => select(store.getSnapshot()));
}

/** A problem's label ("A") from its id, the id itself while the problem set is not known yet. */
export function useProblemLabel(): (problemId: string) => string {
  const problems = useData((d) => d.problems);
  return useCallback((id: string) => problems.find((p) => p.id === id)?.label ?? id, [problems]);
}
