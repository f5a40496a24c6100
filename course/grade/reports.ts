import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Grades, type CheckGrade, type StudentGrade } from './schema.js';

/** Writes junit.xml, grades.json and grades.md into `dir`; returns their paths. */
export function writeReports(grades: Grades, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files = {
    'grades.json': `${JSON.stringify(Grades.parse(grades), null, 2)}\n`,
    'junit.xml': junit(grades),
    'grades.md': markdown(grades),
  };
  return Object.entries(files).map(([name, text]) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  });
}

/** JUnit XML: one testsuite per student and lesson, one testcase per check, so any CI can show it. */
export function junit(grades: Grades): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const all = grades.students.flatMap((s) => s.lessons.flatMap((l) => l.checks));
  lines.push(`<testsuites name="mcp-course grades" tests="${all.length}" failures="${count(all, 'failed')}" errors="${count(all, 'error')}">`);
  for (const student of grades.students) {
    for (const lesson of student.lessons) {
      const name = `${student.student} / ${lesson.slug}`;
      const time = seconds(lesson.checks.reduce((sum, c) => sum + c.durationMs, 0));
      lines.push(
        `  <testsuite name="${xml(name)}" tests="${lesson.checks.length}" failures="${count(lesson.checks, 'failed')}" errors="${count(lesson.checks, 'error')}" time="${time}">`,
        `    <properties><property name="points" value="${lesson.points}"/><property name="maxPoints" value="${lesson.maxPoints}"/></properties>`,
      );
      for (const check of lesson.checks) {
        const open = `    <testcase classname="${xml(`${student.student}.${lesson.slug}.step-${check.step ?? 0}`)}" name="${xml(check.check)}" time="${seconds(check.durationMs)}"`;
        if (check.status === 'passed') {
          lines.push(`${open}/>`);
        } else {
          const tag = check.status === 'failed' ? 'failure' : 'error';
          lines.push(`${open}>`, `      <${tag} message="${xml(firstLine(check.message))}">${xml(check.message)}</${tag}>`, '    </testcase>');
        }
      }
      lines.push('  </testsuite>');
    }
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/** A class table (student × lesson, with totals), then one section per student listing what to fix. */
export function markdown(grades: Grades): string {
  const lessons = grades.lessons;
  const out = [`# Grades`, '', `Graded ${grades.gradedAt} · ${grades.students.length} students · lessons ${lessons.map((l) => l.lesson).join(', ')}`, ''];
  out.push(`| student | ${lessons.map((l) => `${pad(l.lesson)} ${l.title}`).join(' | ')} | total |`);
  out.push(`| --- | ${lessons.map(() => '---:').join(' | ')} | ---: |`);
  for (const s of grades.students) {
    const cells = lessons.map((l) => {
      const got = s.lessons.find((x) => x.slug === l.slug);
      return got ? `${got.points}/${got.maxPoints}` : '–';
    });
    out.push(`| [${md(s.student)}](#${anchor(s.student)}) | ${cells.join(' | ')} | **${s.points}/${s.maxPoints}** |`);
  }
  out.push('');
  for (const s of grades.students) out.push(...studentSection(s));
  return out.join('\n');
}

function studentSection(s: StudentGrade): string[] {
  const out = [`## ${md(s.student)}`, '', `${s.points}/${s.maxPoints} points · ${s.status}${s.error ? ` (${md(s.error)})` : ''} · ${(s.durationMs / 1000).toFixed(1)} s · \`${md(s.path)}\``, ''];
  const failing = s.lessons.flatMap((l) => l.checks.filter((c) => c.status !== 'passed').map((c) => ({ lesson: l, check: c })));
  if (failing.length === 0) return [...out, 'Every check passes.', ''];
  for (const { lesson, check } of failing) {
    out.push(`- **${pad(lesson.lesson)} step ${check.step ?? '?'}** ${md(check.check)} (${check.status}, 0/${check.maxPoints})`);
    if (check.message) out.push('', '  ```text', ...check.message.split('\n').slice(0, 12).map((line) => `  ${line}`), '  ```', '');
  }
  out.push('');
  return out;
}

function count(checks: readonly CheckGrade[], status: CheckGrade['status']): number {
  return checks.filter((c) => c.status === status).length;
}
const seconds = (ms: number) => (ms / 1000).toFixed(3);
const firstLine = (text: string) => text.split('\n')[0] ?? '';
const pad = (n: number) => String(n).padStart(2, '0');
const md = (text: string) => text.replace(/[|<>]/g, (c) => `\\${c}`);
const anchor = (text: string) => text.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

function xml(text: string): string {
  // Control characters are not allowed in XML 1.0, even escaped: a student's output may hold them.
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
