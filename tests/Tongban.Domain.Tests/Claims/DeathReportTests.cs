using Tongban.Domain.Claims;

namespace Tongban.Domain.Tests.Claims;

public class DeathReportTests
{
    private static (DeathReport? Report, Dictionary<string, string[]> Errors) Read(string? name = "阿依古丽•买买提", string? relationship = "spouse",
        string? mobile = "0086 139-0898-7766", int? dependants = null, bool payee = false, string? payeeName = null, string? account = null)
    {
        var errors = new Dictionary<string, string[]>();
        return (DeathReport.Read(name, relationship, mobile, dependants, payee, payeeName, account, errors), errors);
    }

    [Fact]
    public void The_relatives_name_and_mobile_are_normalised_as_at_intake_and_one_dependant_is_assumed()
    {
        var (report, errors) = Read();

        Assert.Empty(errors);
        Assert.Equal(new Relative("阿依古丽·买买提", "spouse", "13908987766"), report!.Reporter);
        Assert.Equal(1, report.Dependants);
        Assert.Null(report.Payee);
    }

    [Theory]
    [InlineData(null, "spouse", "13908987766", "reporter.name")]
    [InlineData("王丽2", "spouse", "13908987766", "reporter.name")]
    [InlineData("王丽", null, "13908987766", "reporter.relationship")]
    [InlineData("王丽", "neighbour", "13908987766", "reporter.relationship")]
    [InlineData("王丽", "child", "12908987766", "reporter.mobile")]
    [InlineData("王丽", "child", null, "reporter.mobile")]
    public void A_missing_or_invalid_reporter_field_is_named(string? name, string? relationship, string? mobile, string field)
    {
        var (report, errors) = Read(name, relationship, mobile);

        Assert.Null(report);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void The_familys_account_is_in_the_reporters_name_unless_another_holder_is_given()
    {
        Assert.Equal(new PayeeAccount("阿依古丽·买买提", "6217856100012345678"), Read(payee: true, account: "6217 8561 0001 2345 678").Report!.Payee);
        Assert.Equal(new PayeeAccount("王丽", "6217856100012345678"), Read(payee: true, payeeName: "王丽", account: "6217856100012345678").Report!.Payee);
    }

    [Theory]
    [InlineData("12345", "payee.bankAccount")]
    [InlineData(null, "payee.bankAccount")]
    [InlineData("6217-8561-0001-2345", "payee.bankAccount")]
    public void A_bad_account_is_named(string? account, string field)
    {
        var (report, errors) = Read(payee: true, account: account);

        Assert.Null(report);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void Dependants_out_of_range_are_named()
    {
        Assert.Equal(["dependants"], Read(dependants: -1).Errors.Keys);
        Assert.Equal(["dependants"], Read(dependants: DeathReport.MaxDependants + 1).Errors.Keys);
        Assert.Equal(0, Read(dependants: 0).Report!.Dependants);
    }
}
