import { describe, expect, test } from 'vitest';
import { checkIds } from '../../common/requirement-ids.js';
import { lessonRequirements, parseRequirements, trace } from '../requirements.js';

const README = `# Lesson

### Step 3 — Filter (\`src/server.ts\`, \`TODO 3\`)

*Checks:*

- **R3.1** \`list_tasks\` is listed with a description; \`project\` is required,
  \`status\` optional.
- **R3.2** Listing \`status: 'done'\` shows the done tasks and none of the others.
- plain bullet, **not** an id
- see **R3.1** above (a mention, not a definition)
`;

describe('requirement ids (checks/AUTHORING.md)', () => {
  test('README bullets define ids with their first line; mentions and other bullets do not', () => {
    const found = parseRequirements(README);
    expect(found.map((r) => r.id)).toEqual(['R3.1', 'R3.2']);
    expect(found[0]).toMatchObject({ text: expect.stringContaining('`list_tasks` is listed'), where: 'README.md:7' });
  });

  test("the capstone's R-AREA-n form is an id too", () => {
    expect(parseRequirements('- **R-TOOLS-3** every tool validates input\n* **R-AUTH-12** tokens expire').map((r) => r.id)).toEqual(['R-TOOLS-3', 'R-AUTH-12']);
    expect(checkIds('R-TOOLS-3, R-AUTH-12: tools need a token')).toEqual(['R-TOOLS-3', 'R-AUTH-12']);
  });

  test("a check's ids are the comma-separated prefix before the colon, and only that", () => {
    expect(checkIds('R3.1, R3.2: list_tasks filters by status')).toEqual(['R3.1', 'R3.2']);
    expect(checkIds('R3.1: one')).toEqual(['R3.1']);
    expect(checkIds('list_tasks filters by status (R3.1)')).toEqual([]);
    expect(checkIds('R3: not an id')).toEqual([]);
  });
});

describe('trace', () => {
  const reqs = parseRequirements(README);
  const check = (name: string) => ({ file: 'checks/03-x/a.test.ts', name });

  test('a README without ids is "not yet" (a lesson mid-conversion stays green)', () => {
    expect(trace([], [check('anything at all')])).toMatchObject({ status: 'not yet', problems: [] });
  });

  test('every requirement with a check and every check with known ids is ok', () => {
    expect(trace(reqs, [check('R3.1: listed'), check('R3.2, R3.1: filters')])).toEqual({ status: 'ok', requirements: 2, covered: 2, problems: [] });
  });

  test('a requirement without a check, a check naming an unknown id, a check without ids, an id defined twice: each a problem', () => {
    const t = trace([...reqs, { id: 'R3.2', text: 'again', where: 'README.md:40' }], [check('R3.1, R3.9: listed'), check('filters by status')]);
    expect(t.status).toBe('broken');
    expect(t.covered).toBe(1);
    expect(t.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^requirement R3\.2 is defined twice \(README\.md:9 and README\.md:40\)/),
        expect.stringMatching(/^check names R3\.9, which the README does not define: .* › R3\.1, R3\.9: listed$/),
        expect.stringMatching(/^check names no requirement .* › filters by status$/),
        expect.stringMatching(/^requirement R3\.2 has no check \(README\.md:9\)/),
      ]),
    );
    expect(t.problems).toHaveLength(4);
  });

  test("the course's lesson READMEs parse without duplicate ids", () => {
    for (const slug of ['01-architecture', '02-first-server', '03-advanced-tools', '04-resources', '05-prompts']) {
      const ids = lessonRequirements({ slug }).map((r) => r.id);
      expect(new Set(ids).size, slug).toBe(ids.length);
      for (const id of ids) expect(id, slug).toMatch(/^R\d+\.\d+$/);
    }
  });
});
