/**
 * Every full-screen view and which roles get it, in tab order. To add a screen: write it in
 * screens/, add its id to ScreenId (context.ts), define it here once and put its id in the roles'
 * lists. The app shell reads only this module, so screens never import the shell.
 */
import type React from 'react';
import type { Role } from '@judged/shared/protocol';
import { isJuryRole } from '@judged/shared/visibility';
import type { ScreenId, ScreenProps } from '../context.ts';
import { ProblemsScreen } from './Problems.tsx';
import { StatementScreen } from './Statement.tsx';
import { SubmitScreen } from './Submit.tsx';
import { SubmissionsScreen } from './Submissions.tsx';
import { ScoreboardScreen } from './Scoreboard.tsx';
import { ClarificationsScreen } from './Clarifications.tsx';
import { QueueScreen } from './Queue.tsx';
import { JurySubmissionsScreen } from './JurySubmissions.tsx';
import { ContestScreen } from './Contest.tsx';
import { RejudgingsScreen } from './Rejudgings.tsx';
import { TeamsScreen } from './Teams.tsx';
import { JudgehostsScreen } from './Judgehosts.tsx';
import { PrintScreen } from './Print.tsx';
import { PrintQueueScreen } from './PrintQueue.tsx';
import { BalloonsScreen } from './Balloons.tsx';

export interface ScreenDef {
  id: ScreenId;
  title: string;
  /** The tab label when the full titles do not fit in the width (80 columns). */
  short: string;
  Component: React.ComponentType<ScreenProps>;
}

const SCREENS: Record<ScreenId, ScreenDef> = {
  problems: { id: 'problems', title: 'Problems', short: 'Probs', Component: ProblemsScreen },
  statement: { id: 'statement', title: 'Statement', short: 'Stmt', Component: StatementScreen },
  submit: { id: 'submit', title: 'Submit', short: 'Submit', Component: SubmitScreen },
  submissions: { id: 'submissions', title: 'Submissions', short: 'Subs', Component: SubmissionsScreen },
  scoreboard: { id: 'scoreboard', title: 'Scoreboard', short: 'Board', Component: ScoreboardScreen },
  clarifications: { id: 'clarifications', title: 'Clarifications', short: 'Clars', Component: ClarificationsScreen },
  queue: { id: 'queue', title: 'Queue', short: 'Queue', Component: QueueScreen },
  'jury-submissions': { id: 'jury-submissions', title: 'Submissions', short: 'Subs', Component: JurySubmissionsScreen },
  rejudgings: { id: 'rejudgings', title: 'Rejudgings', short: 'Rejud', Component: RejudgingsScreen },
  teams: { id: 'teams', title: 'Teams', short: 'Teams', Component: TeamsScreen },
  contest: { id: 'contest', title: 'Contest', short: 'Contest', Component: ContestScreen },
  judgehosts: { id: 'judgehosts', title: 'Judgehosts', short: 'Hosts', Component: JudgehostsScreen },
  print: { id: 'print', title: 'Print', short: 'Print', Component: PrintScreen },
  'print-queue': { id: 'print-queue', title: 'Print queue', short: 'Prints', Component: PrintQueueScreen },
  balloons: { id: 'balloons', title: 'Balloons', short: 'Ballns', Component: BalloonsScreen },
};

const TEAM_TABS: ScreenId[] = ['problems', 'statement', 'submit', 'submissions', 'scoreboard', 'clarifications', 'print'];
const JURY_TABS: ScreenId[] = ['queue', 'jury-submissions', 'scoreboard', 'clarifications', 'problems', 'statement', 'contest', 'rejudgings', 'teams', 'judgehosts'];
/** A balloon runner's one screen. */
const RUNNER_TABS: ScreenId[] = ['balloons'];
/**
 * The jury's room screens, beyond its ten numbered tabs: reached from the Contest screen (`p`, `b`);
 * Esc goes back there.
 */
const JURY_ROOM: ScreenId[] = ['print-queue', 'balloons'];

/** The tabs a role gets, in order. */
export function screensFor(role: Role | null | undefined): ScreenDef[] {
  return (role === 'balloon' ? RUNNER_TABS : isJuryRole(role) ? JURY_TABS : TEAM_TABS).map((id) => SCREENS[id]);
}

/** A screen the role may open that is not one of its tabs, with the tab that leads there; else null. */
export function roomScreen(role: Role | null | undefined, id: ScreenId): { def: ScreenDef; parent: ScreenId } | null {
  return isJuryRole(role) && JURY_ROOM.includes(id) ? { def: SCREENS[id], parent: 'contest' } : null;
}

/** The screen a role starts on. */
export function firstScreen(role: Role | null | undefined): ScreenId {
  return screensFor(role)[0]!.id;
}
