import type { LineProblemReport, LineReport, RegistryImportResult } from '../api/types'

/** The registry file's columns (contract: Registry import) in the words of the people who prepare it. */
export const registryColumnNames: Record<string, string> = {
  idNumber: '身份证件号码',
  name: '姓名',
  mobile: '手机号码',
  bankAccount: '社保卡银行账号',
  cityCode: '参保城市代码',
  employerCode: '单位统一社会信用代码',
  employerName: '单位名称',
  startMonth: '起始月份',
  endMonth: '终止月份',
  separationReason: '中断原因',
}

/** One reported line for the table: its number, the column named in words, and the API's message. */
export interface LineProblem {
  line: number
  column: string
  message: string
}

/** What the column cell says of a problem of a whole line rather than of one column, by the API's code. */
const wholeLineProblems: Partial<Record<LineProblemReport['code'], string>> = {
  duplicate: '整行：重复的行',
  'field-count': '整行：字段个数与列名行不符',
  'malformed-csv': '整行：CSV 格式错误（其后的行未读取）',
  line: '—',
}

/**
 * Each problem of each line on a row of its own: the column in Chinese beside the message as given (it names the rule,
 * which the core system's export team reads); a problem of the whole line says its kind in the column cell instead.
 */
export function lineProblems(lines: LineReport[]): LineProblem[] {
  return lines.flatMap(({ line, problems }) =>
    problems.map(({ code, column, message }) => {
      if (code === 'column' && column !== null) {
        const name = registryColumnNames[column]
        return { line, column: name ? `${name}（${column}）` : column, message }
      }
      return { line, column: wholeLineProblems[code] ?? '—', message }
    }),
  )
}

/** The import in one sentence: what landed, and how many lines were refused or flagged. */
export function importSummary(result: RegistryImportResult): string {
  const parts = [`新增 ${result.imported} 条`, `更新 ${result.updated} 条`]
  if (result.rejected.length > 0) parts.push(`${result.rejected.length} 行有误未导入`)
  if (result.flagged.length > 0) parts.push(`${result.flagged.length} 行已导入但需核对`)
  return `导入完成：${parts.join('，')}`
}

/** A file to upload: refuse what cannot be the registry's CSV before sending it. */
export function fileProblem(file: { name: string; size: number } | null, maxBytes: number): string | null {
  if (!file) return '请选择要导入的文件'
  if (!/\.(csv|txt)$/i.test(file.name)) return '请选择 CSV 文件（.csv）'
  if (file.size === 0) return '文件是空的'
  if (file.size > maxBytes) return `文件超过 ${Math.round(maxBytes / 1024 / 1024)} MB，请分批导入`
  return null
}
