namespace Tongban.Domain.Registry;

/// <summary>
/// One line of the core insurance system's export (contract: Registry import): one contribution spell.
/// Fields are as written in the CSV; <c>EndMonth</c> and <c>SeparationReason</c> are empty while contributing.
/// </summary>
public sealed record RegistryRow(
    string IdNumber,
    string Name,
    string Mobile,
    string BankAccount,
    string CityCode,
    string EmployerCode,
    string EmployerName,
    string StartMonth,
    string EndMonth,
    string SeparationReason)
{
    public static readonly string[] Header =
        ["idNumber", "name", "mobile", "bankAccount", "cityCode", "employerCode", "employerName", "startMonth", "endMonth", "separationReason"];
}
