using Tongban.Registry;

namespace Tongban.Tests.Registry;

/// <summary>Each reason a line of an imported file is refused or flagged carries a code a program acts on, not its English.</summary>
public sealed class LineReportSpec
{
    [Theory]
    [InlineData("mobile: not a mainland mobile number", "column", "mobile", "not a mainland mobile number")]
    [InlineData("idNumber: not a current benefit recipient (no approved or suspended claim) / 非在领失业保险金人员", "column", "idNumber",
        "not a current benefit recipient (no approved or suspended claim) / 非在领失业保险金人员")]
    [InlineData("duplicate: the same idNumber, employerCode and startMonth as line 2, one line per contribution spell (line 2's is kept)",
        "duplicate", null, "the same idNumber, employerCode and startMonth as line 2, one line per contribution spell (line 2's is kept)")]
    [InlineData("malformed CSV: Unclosed quote", "malformed-csv", null, "Unclosed quote")]
    [InlineData("unknown reference P-1: no payment of this run has it", "line", null, "unknown reference P-1: no payment of this run has it")]
    [InlineData("reference: required", "column", "reference", "required")]
    [InlineData("9 fields, where the header has 10", "line", null, "9 fields, where the header has 10")]
    public void A_reason_as_the_importers_word_it_gets_its_code_and_column(string error, string code, string? column, string message) =>
        Assert.Equal(new LineProblem(code, column, message), LineProblem.Of(error));

    [Fact]
    public void A_line_with_the_wrong_number_of_fields_says_so_in_its_code() =>
        Assert.Equal([new LineProblem("field-count", null, "9 fields, where the header has 10")], LineReport.FieldCount(5, 9, 10).Problems);

    [Fact]
    public void A_record_that_cannot_be_read_is_malformed_and_keeps_its_wording()
    {
        var report = LineReport.Malformed(7, "Unclosed quote");
        Assert.Equal(["malformed CSV: Unclosed quote"], report.Errors);
        Assert.Equal([new LineProblem("malformed-csv", null, "Unclosed quote")], report.Problems);
    }

    [Fact]
    public void Every_reason_has_its_problem_in_the_same_order()
    {
        var report = new LineReport(3, ["endMonth: before startMonth", "duplicate: as line 2"]);
        Assert.Equal(["endMonth", null], report.Problems.Select(p => p.Column));
        Assert.Equal(["column", "duplicate"], report.Problems.Select(p => p.Code));
    }
}
