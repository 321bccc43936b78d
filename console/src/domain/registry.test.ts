import { describe, expect, it } from 'vitest'
import { fileProblem, importSummary, lineProblems } from './registry'

describe('registry import', () => {
  it('puts each problem of a line on its own row with the column in words', () => {
    const rows = lineProblems([
      {
        line: 3,
        errors: ['mobile: not a mainland mobile number', 'endMonth: before startMonth'],
        problems: [
          { code: 'column', column: 'mobile', message: 'not a mainland mobile number' },
          { code: 'column', column: 'endMonth', message: 'before startMonth' },
        ],
      },
    ])
    expect(rows).toEqual([
      { line: 3, column: '手机号码（mobile）', message: 'not a mainland mobile number' },
      { line: 3, column: '终止月份（endMonth）', message: 'before startMonth' },
    ])
  })

  it('says what kind of problem a whole line has by its code, whatever the wording', () => {
    // The reports as Registry/RegistryImport.cs (LineReport, LineProblem) and Domain/Registry/RegistryFile.cs make them.
    const duplicate = "the same idNumber, employerCode and startMonth as line 2, one line per contribution spell (line 2's is kept)"
    const rows = lineProblems([
      { line: 4, errors: [`duplicate: ${duplicate}`], problems: [{ code: 'duplicate', column: null, message: duplicate }] },
      {
        line: 5,
        errors: ['9 fields, where the header has 10'],
        problems: [{ code: 'field-count', column: null, message: '9 fields, where the header has 10' }],
      },
      {
        line: 6,
        errors: ['malformed CSV: Unclosed quote in field 2 starting on line 6.'],
        problems: [{ code: 'malformed-csv', column: null, message: 'Unclosed quote in field 2 starting on line 6.' }],
      },
    ])
    expect(rows).toEqual([
      { line: 4, column: '整行：重复的行', message: duplicate },
      { line: 5, column: '整行：字段个数与列名行不符', message: '9 fields, where the header has 10' },
      { line: 6, column: '整行：CSV 格式错误（其后的行未读取）', message: 'Unclosed quote in field 2 starting on line 6.' },
    ])
  })

  it('names the column of a second name given for one identity number', () => {
    const message = "differs from line 2, which gives this idNumber another name (line 2's is kept)"
    expect(lineProblems([{ line: 5, errors: [`name: ${message}`], problems: [{ code: 'column', column: 'name', message }] }])).toEqual([
      { line: 5, column: '姓名（name）', message },
    ])
  })

  it('keeps a column the registry does not have by its name, and a problem of the line without one', () => {
    expect(
      lineProblems([
        {
          line: 2,
          errors: ['reason: too long', 'unknown reference P-1: no payment of this run has it'],
          problems: [
            { code: 'column', column: 'reason', message: 'too long' },
            { code: 'line', column: null, message: 'unknown reference P-1: no payment of this run has it' },
          ],
        },
      ]),
    ).toEqual([
      { line: 2, column: 'reason', message: 'too long' },
      { line: 2, column: '—', message: 'unknown reference P-1: no payment of this run has it' },
    ])
  })

  it('sums the import up, mentioning refused and flagged lines only when there are some', () => {
    expect(importSummary({ imported: 2, updated: 0, rejected: [], flagged: [] })).toBe('导入完成：新增 2 条，更新 0 条')
    expect(importSummary({ imported: 1, updated: 1, rejected: [{ line: 3, errors: ['x'], problems: [{ code: 'line', column: null, message: 'x' }] }], flagged: [] })).toBe(
      '导入完成：新增 1 条，更新 1 条，1 行有误未导入',
    )
  })

  it('refuses a missing, empty, oversized or non-CSV file before sending it', () => {
    expect(fileProblem(null, 100)).toBe('请选择要导入的文件')
    expect(fileProblem({ name: 'people.xlsx', size: 10 }, 100)).toBe('请选择 CSV 文件（.csv）')
    expect(fileProblem({ name: 'people.csv', size: 0 }, 100)).toBe('文件是空的')
    expect(fileProblem({ name: 'people.csv', size: 300 * 1024 * 1024 }, 200 * 1024 * 1024)).toBe('文件超过 200 MB，请分批导入')
    expect(fileProblem({ name: 'people.CSV', size: 10 }, 100)).toBeNull()
  })
})
