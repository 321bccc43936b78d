import { describe, expect, it } from 'vitest'
import { fileProblem, importSummary, lineProblems } from './registry'

describe('registry import', () => {
  it('puts each problem of a line on its own row with the column in words', () => {
    const rows = lineProblems([{ line: 3, errors: ['mobile: not a mainland mobile number', 'endMonth: before startMonth'] }])
    expect(rows).toEqual([
      { line: 3, column: '手机号码（mobile）', message: 'not a mainland mobile number' },
      { line: 3, column: '终止月份（endMonth）', message: 'before startMonth' },
    ])
  })

  it('says what kind of problem a whole line has where the API names no column', () => {
    // The messages as Registry/RegistryImport.cs and Domain/Registry/RegistryFile.cs word them.
    const rows = lineProblems([
      {
        line: 4,
        errors: ["duplicate: the same idNumber, employerCode and startMonth as line 2, one line per contribution spell (line 2's is kept)"],
      },
      { line: 5, errors: ['9 fields, where the header has 10'] },
      { line: 6, errors: ["malformed CSV: Unclosed quote in field 2 starting on line 6."] },
    ])
    expect(rows).toEqual([
      {
        line: 4,
        column: '整行：重复的缴费记录',
        message: "the same idNumber, employerCode and startMonth as line 2, one line per contribution spell (line 2's is kept)",
      },
      { line: 5, column: '整行：字段个数与列名行不符', message: '9 fields, where the header has 10' },
      { line: 6, column: '整行：CSV 格式错误（其后的行未读取）', message: 'Unclosed quote in field 2 starting on line 6.' },
    ])
  })

  it('names the column of a second name given for one identity number', () => {
    expect(lineProblems([{ line: 5, errors: ["name: differs from line 2, which gives this idNumber another name (line 2's is kept)"] }])).toEqual([
      { line: 5, column: '姓名（name）', message: "differs from line 2, which gives this idNumber another name (line 2's is kept)" },
    ])
  })

  it('keeps a message without a known column whole', () => {
    expect(lineProblems([{ line: 2, errors: ['Expected 10 columns'] }])).toEqual([{ line: 2, column: '—', message: 'Expected 10 columns' }])
  })

  it('sums the import up, mentioning refused and flagged lines only when there are some', () => {
    expect(importSummary({ imported: 2, updated: 0, rejected: [], flagged: [] })).toBe('导入完成：新增 2 条，更新 0 条')
    expect(importSummary({ imported: 1, updated: 1, rejected: [{ line: 3, errors: ['x'] }], flagged: [] })).toBe(
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
