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
