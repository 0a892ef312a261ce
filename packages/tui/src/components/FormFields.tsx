import React from 'react';
import { Box, Text } from 'ink';
import type { KeyPress } from '../keys.ts';
import { fit } from '../lib/text.ts';
import { TextField, applyEdit, type Edit } from './TextInput.tsx';

/** A form of text fields (Teams' add, Contest's times): values by key, the focus, a refusal at a field. */
export interface FormState<K extends string> {
  values: Record<K, Edit>;
  focus: number;
  error: { field: string | null; text: string } | null;
}

/**
 * Tab / Shift-Tab / ↑↓ move between fields, other keys edit the focused one. Returns the new state,
 * or null for a key it does not handle (Enter, Esc: the screen decides).
 */
export function formKey<K extends string, F extends FormState<K>>(f: F, keys: readonly K[], k: KeyPress, maxLength: number): F | null {
  if (k.name === 'tab' || k.name === 'down' || k.name === 'up' || k.name === 'backtab') {
    const d = k.name === 'up' || k.name === 'backtab' ? -1 : 1;
    return { ...f, focus: (f.focus + d + keys.length) % keys.length };
  }
  if (k.name === 'enter' || k.name === 'escape') return null;
  const key = keys[f.focus]!;
  const e = applyEdit(f.values[key], k, maxLength);
  return e ? { ...f, values: { ...f.values, [key]: e } } : f;
}

/** Each field on its line, the focused one marked `›`, a refusal under the field it names. */
export function FormFields<K extends string>({ fields, form, width, labelWidth }: { fields: readonly { key: K; label: string }[]; form: FormState<K>; width: number; labelWidth: number }) {
  return (
    <>
      {fields.map((f, i) => {
        const err = form.error?.field === f.key ? form.error.text : null;
        return (
          <Box key={f.key} flexDirection="column" width={width}>
            <Box width={width} height={1}>
              <Text color={i === form.focus ? 'cyan' : undefined}>{fit(` ${i === form.focus ? '›' : ' '} ${f.label}`, labelWidth)}</Text>
              <TextField edit={form.values[f.key]} width={Math.max(10, width - labelWidth - 2)} focused={i === form.focus} />
            </Box>
            {err && <Text color="red">{fit(`${' '.repeat(labelWidth + 1)}${err}`, width)}</Text>}
          </Box>
        );
      })}
    </>
  );
}
