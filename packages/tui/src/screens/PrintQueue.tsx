import React, { useEffect, useState } from 'react';
import { Text } from 'ink';
import type { PrintJob } from '@judged/shared/protocol';
import { useApp, useData, type ScreenProps } from '../context.ts';
import { useScreenKeys } from '../key-router.tsx';
import { ScreenFrame } from '../components/Frame.tsx';
import { Confirm, paint } from '../components/misc.tsx';
import { FilteredList } from '../components/FilteredList.tsx';
import { useListNav } from '../components/useListNav.ts';
import { useListWindow } from '../components/useListWindow.ts';
import { useDetailScroll } from '../components/useDetailScroll.ts';
import { isChar } from '../keys.ts';
import { fit } from '../lib/text.ts';

const STATE_COLOUR: Record<PrintJob['state'], string> = { queued: 'yellow', printed: 'green', failed: 'red' };

/**
 * Print queue (jury): every team's printout, newest first, with where it went (queued: no printer,
 * printed, failed: lp's error). Enter views it as printed (header, page numbers), `d` marks it
 * delivered or not, `r` sends it to the printer again (after a y/n question).
 */
export function PrintQueueScreen({ width, height }: ScreenProps) {
  const { api } = useApp();
  const version = useData((d) => d.printsVersion);
  const [jobs, setJobs] = useState<PrintJob[]>([]);
  const [printer, setPrinter] = useState<string | null>(null);
  const [view, setView] = useState<{ job: PrintJob; lines: string[] } | null>(null);
  const [ask, setAsk] = useState<PrintJob | null>(null);
  const [message, setMessage] = useState<{ text: string; colour: string } | null>(null);
  const nav = useListNav(jobs, (j) => `${j.id} ${j.teamId} ${j.teamName} ${j.location ?? ''} ${j.fileName} ${j.state}`);
  const win = useListWindow(nav, height, message ? 1 : 0);
  const scroll = useDetailScroll(view?.lines.length ?? 0, height - 3);

  useEffect(() => {
    api
      .request<'printJobs'>({ type: 'printJobs' })
      .then((r) => (setJobs(r.jobs), setPrinter(r.printer)))
      .catch((err: Error) => setMessage({ text: `Could not load printouts: ${err.message}`, colour: 'red' }));
  }, [api, version]);

  async function act(job: PrintJob, action: 'done' | 'undone' | 'reprint') {
    try {
      const r = await api.request<'printAction'>({ type: 'printAction', jobId: job.id, action });
      setJobs((list) => list.map((j) => (j.id === job.id ? r.job : j)));
      const what = action === 'reprint' ? (r.job.state === 'printed' ? 'sent to the printer again' : `not printed: ${r.job.error ?? r.job.state}`) : action === 'done' ? 'marked delivered' : 'marked not delivered';
      setMessage({ text: `Printout ${job.id} (${job.teamName}, ${job.fileName}) ${what}.`, colour: r.job.state === 'failed' ? 'red' : 'green' });
    } catch (err) {
      setMessage({ text: `Not done: ${(err as Error).message}`, colour: 'red' });
    }
  }

  async function open(job: PrintJob) {
    try {
      const r = await api.request<'printJob'>({ type: 'printJob', jobId: job.id });
      scroll.reset();
      setView({ job: r.job, lines: r.text.replace(/\f/g, '').split('\n') });
    } catch (err) {
      setMessage({ text: `Could not open printout ${job.id}: ${(err as Error).message}`, colour: 'red' });
    }
  }

  useScreenKeys({
    capture: nav.capture || ask !== null,
    help: [
      { keys: 'Enter', what: 'view the printout as printed' },
      { keys: 'd', what: 'mark delivered / not delivered' },
      { keys: 'r', what: 'send to the printer again (asks first)' },
      { keys: 'Esc', what: 'close the printout, then back to Contest' },
    ],
    hints: '',
    handle: (k) => {
      if (ask) {
        if (isChar(k, 'y')) void act(ask, 'reprint');
        if (isChar(k, 'y') || isChar(k, 'n') || k.name === 'escape') setAsk(null);
        return true;
      }
      if (view) {
        if (k.name !== 'escape' && k.name !== 'enter') return scroll.handle(k);
        setView(null);
        return true;
      }
      if (nav.handle(k, win.listH)) return true;
      const job = nav.current;
      if (!job) return false;
      if (k.name === 'enter') void open(job);
      else if (isChar(k, 'd')) void act(job, job.done ? 'undone' : 'done');
      else if (isChar(k, 'r')) setAsk(job);
      else return false;
      return true;
    },
  });

  if (view) {
    const j = view.job;
    return (
      <ScreenFrame width={width} height={height} hints="↑↓ scroll  Esc close" status={scroll.status}>
        <Text bold>{fit(` Printout ${j.id}: ${j.teamName}${j.location ? ` (${j.location})` : ''}, ${j.fileName}, ${j.pages} page${j.pages === 1 ? '' : 's'}`, width)}</Text>
        {view.lines.slice(scroll.top, scroll.top + height - 3).map((l, i) => (
          <Text key={i}>{fit(` ${l}`, width)}</Text>
        ))}
      </ScreenFrame>
    );
  }
  const todo = jobs.filter((j) => !j.done).length;
  const where = printer ? `printer ${printer}` : 'no printer: print them from here';
  const locW = Math.max(8, Math.min(20, Math.floor((width - 50) / 3)));
  const fileW = Math.max(10, Math.min(28, Math.floor((width - 50) / 3)));
  const teamW = Math.max(10, width - 2 - 5 - 6 - locW - fileW - 4 - 9 - 5);
  return (
    <ScreenFrame
      width={width}
      height={height}
      hints={nav.filtering ? 'Enter keep  Esc clear' : 'Enter view  d delivered  r reprint  / filter  Esc back'}
      status={ask ? <Confirm text={`Send printout ${ask.id} (${ask.teamName}, ${ask.fileName}, ${ask.pages} pages) to the printer again?`} width={width} /> : `${todo} to deliver, ${jobs.length} in all; ${where}  ${win.range}`}
    >
      {message && <Text color={message.colour}>{fit(` ${message.text}`, width)}</Text>}
      <FilteredList
        nav={nav}
        win={win}
        header={`  ${fit('#', 5)}${fit('Time', 6)}${fit('Team', teamW)}${fit('Location', locW)}${fit('File', fileW)}${fit('Pg', 4)}${fit('State', 9)}Done`}
        width={width}
        keyOf={(j) => j.id}
        empty="No printouts yet."
        renderLine={(j: PrintJob, _i, sel) => {
          const time = new Date(j.createdAtMs).toISOString().slice(11, 16);
          const line =
            ' ' + fit(j.id, 5) + fit(time, 6) + fit(j.teamName, teamW) + fit(j.location ?? '-', locW) + fit(j.fileName, fileW) + fit(String(j.pages), 4) + paint(fit(j.state, 9), STATE_COLOUR[j.state]) + (j.done ? 'yes' : paint('no', 'yellow'));
          return sel ? paint(line, null, { inverse: true }) : line;
        }}
      />
    </ScreenFrame>
  );
}
