using Tongban.Domain.Claims;

namespace Tongban.Domain.Tests.Claims;

public class ClaimStatusTests
{
    [Fact]
    public void Status_codes_are_those_of_the_contract()
    {
        Assert.Equal(
            ["verifying", "first-review", "final-review", "approved", "rejected", "suspended", "completed", "terminated"],
            Enum.GetValues<ClaimStatus>().Select(s => s.Code()));
    }

    [Theory]
    [InlineData("verifying")]
    [InlineData("final-review")]
    [InlineData("terminated")]
    public void Code_parses_back_to_its_status(string code)
    {
        Assert.Equal(code, ClaimStatuses.Parse(code).Code());
    }

    [Theory]
    [InlineData(ClaimStatus.Verifying, true)]
    [InlineData(ClaimStatus.FirstReview, true)]
    [InlineData(ClaimStatus.FinalReview, true)]
    [InlineData(ClaimStatus.Approved, true)]
    [InlineData(ClaimStatus.Suspended, true)]
    [InlineData(ClaimStatus.Rejected, false)]
    [InlineData(ClaimStatus.Completed, false)]
    [InlineData(ClaimStatus.Terminated, false)]
    public void Claims_in_progress_or_being_paid_block_a_second_claim(ClaimStatus status, bool open)
    {
        Assert.Equal(open, status.IsOpen());
    }
}
