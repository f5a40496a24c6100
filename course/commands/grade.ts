import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { LessonMeta } from '../../common/lesson-meta.js';
import { prepareTarget, TargetError } from '../../common/target.js';
import { parseCommandArgs } from '../args.js';
import { UsageError } from '../errors.js';
import { writeReports } from '../grade/reports.js';
import { runStudent, type StudentRun } from '../grade/run-student.js';
import { withShownPaths } from '../run-checks.js';
import { GRADES_SCHEMA_NAME, GRADES_SCHEMA_VERSION, type Grades, type StudentGrade } from '../grade/schema.js';
import { scoreLesson } from '../grade/score.js';
import { paint } from '../ui.js';

export const GRADE_USAGE = `Usage: npm run grade -- DIR… [--lessons 1-5] [--step K] [--out grades/] [--jobs N] [--deadline SECONDS] [--strict]

  DIR            a student's checkout (a folder with lessons/), or a folder of them
  --lessons      which lessons to grade: 3, 1-5, 2,4 (default: every lesson)
  --out          where junit.xml, grades.json and grades.md go (default: grades/)
  --jobs         students graded at once (default: the number of cores)
  --deadline     seconds one student's run may take per lesson before it is stopped (default: 120)
  --step         only the checks of step K (with one lesson): what a GitHub Classroom test runs
  --strict       exit 1 unless every graded check passes, printing what failed (for autograding)`;

interface Student {
  name: string;
  path: string;
}

/**
 * \`npm run grade -- DIR…\`: grades a class with the course's own checks (never a student's copy of
 * checks/). Each student runs in a process of their own with a deadline; every check is worth
 * points, a lesson's score is their sum. Exit 0 when grading ran, whatever the scores.
 */
export async function grade(allLessons: readonly LessonMeta[], args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    GRADE_USAGE,
    {
      lessons: { type: 'string' },
      out: { type: 'string', default: 'grades' },
      jobs: { type: 'string' },
      deadline: { type: 'string', default: '120' },
      step: { type: 'string' },
      strict: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    Infinity,
  );
  if (values.help) {
    console.log(GRADE_USAGE);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError(`Which checkouts? Give at least one folder.\n\n${GRADE_USAGE}`);
  const lessons = chooseLessons(allLessons, values.lessons);
  const jobs = positiveInteger(values.jobs ?? String(availableParallelism()), '--jobs');
  const deadlineMs = positiveInteger(values.deadline, '--deadline') * 1000 * lessons.length;
  const students = discoverStudents(positionals);
  const step = values.step === undefined ? undefined : positiveInteger(values.step, '--step');
  if (step !== undefined && (lessons.length !== 1 || step > lessons[0]!.steps.length)) {
    throw new UsageError(`--step needs one lesson (--lessons N) that has a step ${step}.`);
  }
  const out = resolve(values.out);

  const slugs = lessons.map((l) => l.slug);
  console.error(`Grading ${students.length} student${students.length === 1 ? '' : 's'} on lesson${lessons.length === 1 ? '' : 's'} ${lessons.map((l) => l.number).join(', ')} (${jobs} at a time)…`);
  // The catalogue: every check, as it runs on the reference solution. Students are scored against
  // it, so a crashed or stopped run still lists each check (at 0), and a broken course is caught.
  const catalogue = await runStudent('solutions', slugs, deadlineMs);
  if (!catalogue.outcome) throw new Error(`The course's own checks could not run on the reference solutions: ${catalogue.error}`);
  const broken = catalogue.outcome.checks.filter((c) => c.state !== 'passed');
  if (broken.length) console.error(paint('yellow', `Warning: ${broken.length} check(s) fail on the reference solution (run \`npm run verify\`); they are graded as they are.`));

  const started = performance.now();
  let done = 0;
  let slowest: { name: string; ms: number } | undefined;
  const graded = await pool(students, jobs, async (student) => {
    const result = onlyStep(await gradeStudent(student, lessons, catalogue.outcome!, deadlineMs), step);
    done += 1;
    if (!slowest || result.durationMs > slowest.ms) slowest = { name: student.name, ms: result.durationMs };
    console.error(`  ${done}/${students.length} ${student.name}: ${result.points}/${result.maxPoints}${result.status === 'graded' ? '' : ` (${result.status})`} · slowest so far: ${slowest.name} ${(slowest.ms / 1000).toFixed(1)} s`);
    return result;
  });

  const grades: Grades = {
    schema: GRADES_SCHEMA_NAME,
    version: GRADES_SCHEMA_VERSION,
    gradedAt: new Date().toISOString(),
    lessons: lessons.map((l) => ({ lesson: l.number, slug: l.slug, title: l.title, maxPoints: graded[0]?.lessons.find((x) => x.slug === l.slug)?.maxPoints ?? 0 })),
    students: graded,
  };
  const files = writeReports(grades, out);
  const seconds = (performance.now() - started) / 1000;
  console.log(`Graded ${students.length} student(s) in ${seconds.toFixed(1)} s (${(seconds / Math.max(1, students.length)).toFixed(1)} s each).`);
  for (const s of graded) console.log(`  ${s.student}: ${s.points}/${s.maxPoints}${s.status === 'graded' ? '' : ` (${s.status}: ${s.error})`}`);
  console.log(`Reports: ${files.join(', ')}`);
  if (!values.strict) return 0;
  const failing = graded.flatMap((s) => s.lessons.flatMap((l) => l.checks.filter((c) => c.status !== 'passed')));
  for (const c of failing) console.log(`\n${paint('red', `✗ ${c.check}`)}\n${c.message}`);
  return failing.length === 0 ? 0 : 1;
}

/** A student's grade restricted to one step's checks (totals recomputed); unchanged without a step. */
function onlyStep(grade: StudentGrade, step: number | undefined): StudentGrade {
  if (step === undefined) return grade;
  const lessons = grade.lessons.map((l) => {
    const checks = l.checks.filter((c) => c.step === step);
    return { ...l, checks, points: sum(checks.map((c) => c.points)), maxPoints: sum(checks.map((c) => c.maxPoints)) };
  });
  return { ...grade, lessons, points: sum(lessons.map((l) => l.points)), maxPoints: sum(lessons.map((l) => l.maxPoints)) };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

async function gradeStudent(student: Student, lessons: readonly LessonMeta[], catalogue: NonNullable<StudentRun['outcome']>, deadlineMs: number): Promise<StudentGrade> {
  const started = performance.now();
  const present = lessons.filter((l) => existsSync(join(student.path, 'lessons', l.slug)));
  let run: StudentRun | undefined;
  let error: string | undefined;
  if (present.length) {
    const slugs = present.map((l) => l.slug);
    try {
      // Staged like any path target, so messages name the student's own files afterwards.
      const prepared = prepareTarget(slugs, student.path, `grade-${student.name}`);
      try {
        run = await runStudent(prepared.value, slugs, deadlineMs);
        error = run.error;
        if (run.outcome) run.outcome = withShownPaths(run.outcome, prepared.shown);
      } finally {
        prepared.dispose();
      }
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      error = e.message;
    }
  }
  const scored = lessons.map((l) => {
    const why = !present.includes(l) ? `lessons/${l.slug} is missing from this checkout` : (error ?? 'the check did not run');
    return scoreLesson(l, catalogue, present.includes(l) ? (run?.outcome ?? null) : null, why);
  });
  const status: StudentGrade['status'] = run?.status === 'timeout' ? 'timeout' : run?.outcome || !present.length ? 'graded' : 'error';
  return {
    student: student.name,
    path: student.path,
    status,
    ...(error ? { error } : {}),
    durationMs: Math.round(performance.now() - started),
    points: scored.reduce((sum, l) => sum + l.points, 0),
    maxPoints: scored.reduce((sum, l) => sum + l.maxPoints, 0),
    lessons: scored,
  };
}

/** A folder with lessons/ is a student; otherwise each of its subfolders with lessons/ is one. */
export function discoverStudents(dirs: readonly string[]): Student[] {
  const found: Student[] = [];
  for (const dir of dirs) {
    const path = resolve(dir);
    if (!isDir(path)) throw new UsageError(`${dir} does not exist or is not a folder.`);
    if (isDir(join(path, 'lessons'))) {
      found.push({ name: basename(path), path });
      continue;
    }
    const inside = readdirSync(path)
      .sort()
      .map((name) => join(path, name))
      .filter((p) => isDir(join(p, 'lessons')));
    if (inside.length === 0) throw new UsageError(`${dir} is neither a checkout (no lessons/ folder) nor a folder of checkouts.`);
    found.push(...inside.map((p) => ({ name: basename(p), path: p })));
  }
  // Two students may share a folder name (class-a/alice, class-b/alice): keep both, told apart.
  const seen = new Map<string, number>();
  return found.map((s) => {
    const n = (seen.get(s.name) ?? 0) + 1;
    seen.set(s.name, n);
    return n === 1 ? s : { ...s, name: `${s.name} (${n})` };
  });
}

/** "3", "1-5", "2,4,6-7" → those lessons, in course order. */
export function chooseLessons(lessons: readonly LessonMeta[], spec: string | undefined): LessonMeta[] {
  if (!spec) return [...lessons];
  const wanted = new Set<number>();
  for (const part of spec.split(',')) {
    const range = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!range) throw new UsageError(`--lessons takes numbers and ranges like 1-5 or 2,4; got "${spec}".`);
    const from = Number(range[1]);
    const to = Number(range[2] ?? range[1]);
    for (let n = from; n <= to; n++) wanted.add(n);
  }
  const unknown = [...wanted].filter((n) => !lessons.some((l) => l.number === n));
  if (unknown.length) throw new UsageError(`There is no lesson ${unknown.join(', ')}; the lessons are ${lessons.map((l) => l.number).join(', ')}.`);
  return lessons.filter((l) => wanted.has(l.number));
}

function positiveInteger(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`${option} takes a whole number from 1 to 10000; got "${text}".`);
  return n;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Runs `work` over `items`, at most `limit` at a time, keeping the items' order in the result. */
async function pool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}
