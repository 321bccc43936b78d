using Tongban.Domain.Registry;

namespace Tongban.Domain.Tests.Registry;

public class SeparationReasonTests
{
    [Fact]
    public void Codes_are_those_of_the_registry_contract()
    {
        string[] contract = ["contract-expired", "employer-terminated", "employer-closed", "mutual-agreement", "dismissed",
            "resigned-employer-fault", "resigned", "retired"];

        Assert.Equal(contract.Order(), SeparationReasons.Codes.Order());
    }

    [Theory]
    [InlineData("contract-expired", true)]
    [InlineData("employer-terminated", true)]
    [InlineData("employer-closed", true)]
    [InlineData("mutual-agreement", true)]
    [InlineData("dismissed", true)]
    [InlineData("resigned-employer-fault", true)]
    [InlineData("resigned", false)]
    [InlineData("retired", false)]
    public void Only_involuntary_endings_qualify(string code, bool involuntary)
    {
        Assert.True(SeparationReasons.TryParse(code, out var reason));
        Assert.Equal(involuntary, reason.IsInvoluntary());
        Assert.Equal(code, reason.Code());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Resigned")]
    [InlineData("quit")]
    public void Unknown_code_is_refused(string code)
    {
        Assert.False(SeparationReasons.TryParse(code, out _));
    }
}
