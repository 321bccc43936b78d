using System.Text;
using Tongban.Domain.Identifiers;

namespace Tongban.Tests.Infrastructure;

/// <summary>Test people and registry CSV lines, with valid identity numbers and employer codes.</summary>
public static class People
{
    public const string Header = "idNumber,name,mobile,bankAccount,cityCode,employerCode,employerName,startMonth,endMonth,separationReason";

    /// <summary>A valid identity number, different for each <paramref name="n"/>.</summary>
    public static string IdNumber(int n, string region = "460200", string birth = "19850315")
    {
        var first17 = region + birth + (n % 1000).ToString("D3");
        if (n >= 1000) first17 = region[..4] + (n / 1000 % 100).ToString("D2") + birth + (n % 1000).ToString("D3");
        return first17 + IdentityNumber.CheckCharacter(first17);
    }

    public static string EmployerCode(int n)
    {
        const string alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        int[] weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
        var first17 = "9146020" + (n % 10_000_000_000L).ToString("D10");
        var sum = first17.Select((c, i) => alphabet.IndexOf(c) * weights[i]).Sum();
        return first17 + alphabet[(31 - sum % 31) % 31];
    }

    public static string Spell(string idNumber, string name, string city, int employer, string start, string end, string reason,
        string mobile = "13800138000") =>
        $"{idNumber},{name},{mobile},6217000010000000001,{city},{EmployerCode(employer)},测试公司{employer},{start},{end},{reason}";

    public static string Csv(params string[] lines) => new StringBuilder(Header).Append('\n').AppendJoin('\n', lines).Append('\n').ToString();

    /// <summary>Insured in Sanya from 2018-01 to 2026-08, contract expired: eligible, 104 months → 18 months of benefit.</summary>
    public static string EligibleInSanya(int n, string name = "王小明") =>
        Spell(IdNumber(n), name, "460200", n, "2018-01", "2026-08", "contract-expired");

    public static object Application(string idNumber, string name = "王小明", string channel = "counter", string? office = "460100-01") =>
        new { serviceItem = "unemployment-benefit", channel, acceptingOffice = office, applicant = new { idNumber, name, mobile = "13800138000" } };
}
