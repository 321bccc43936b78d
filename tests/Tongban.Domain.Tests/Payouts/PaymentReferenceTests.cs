using Tongban.Domain.Payouts;

namespace Tongban.Domain.Tests.Payouts;

public class PaymentReferenceTests
{
    private static readonly Guid Application = Guid.Parse("6f1c2a3e-0000-4000-8000-000000000042");

    [Fact]
    public void A_reference_names_month_kind_attempt_and_application()
    {
        Assert.Equal("202611B016f1c2a3e000040008000000000000042", PaymentReference.For(Application, new YearMonth(2026, 11), PaymentKind.Benefit, 1));
        Assert.StartsWith("202701F02", PaymentReference.For(Application, new YearMonth(2027, 1), PaymentKind.FuneralGrant, 2));
        Assert.StartsWith("202701S01", PaymentReference.For(Application, new YearMonth(2027, 1), PaymentKind.SurvivorsPension, 1));
    }

    [Fact]
    public void The_prefix_is_what_SQL_puts_before_the_application_id_without_dashes()
    {
        var reference = PaymentReference.For(Application, new YearMonth(2026, 11), PaymentKind.Benefit, 1);

        Assert.Equal(PaymentReference.Prefix(new YearMonth(2026, 11), PaymentKind.Benefit, 1) + Application.ToString().Replace("-", ""), reference);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void Attempts_run_from_1_to_99(int attempt)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PaymentReference.Prefix(new YearMonth(2026, 11), PaymentKind.Benefit, attempt));
    }
}
