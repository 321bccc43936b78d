using System.Reflection;
using System.Text.RegularExpressions;
using Tongban.Domain.Claims;

namespace Tongban.Domain.Tests.Claims;

public class RefusalCodeTests
{
    private static IReadOnlyList<string> Codes => RefusalCode.All;

    [Fact]
    public void Every_code_is_kebab_case()
    {
        Assert.NotEmpty(Codes);
        Assert.All(Codes, code => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), code));
    }

    [Fact]
    public void All_lists_every_declared_code()
    {
        var declared = typeof(RefusalCode).GetFields(BindingFlags.Public | BindingFlags.Static).Count(f => f.IsLiteral);

        Assert.Equal(declared, Codes.Count);
        Assert.Contains(RefusalCode.NotAtStage, Codes);
        Assert.Contains(RefusalCode.DashboardNotAllowed, Codes);
    }

    [Fact]
    public void No_two_meanings_share_a_code()
    {
        Assert.Equal(Codes.Count, Codes.Distinct().Count());
    }
}
