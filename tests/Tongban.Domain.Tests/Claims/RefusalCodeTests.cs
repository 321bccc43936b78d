using System.Reflection;
using System.Text.RegularExpressions;
using Tongban.Domain.Claims;

namespace Tongban.Domain.Tests.Claims;

public class RefusalCodeTests
{
    private static readonly IReadOnlyList<string> Codes = typeof(RefusalCode)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToList();

    [Fact]
    public void Every_code_is_kebab_case()
    {
        Assert.NotEmpty(Codes);
        Assert.All(Codes, code => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), code));
    }

    [Fact]
    public void No_two_meanings_share_a_code()
    {
        Assert.Equal(Codes.Count, Codes.Distinct().Count());
    }
}
