using System.Net;
using System.Text;
using System.Text.Json;
using Tongban.Tests.Infrastructure;
using Tongban.Tests.Payouts;

namespace Tongban.Tests.CrossChecks;

/// <summary>
/// The comparison file line by line, as the registry import reads its file: a line with more or fewer fields than the
/// header, or naming no real province, is refused alone, by its number, and the rest of the file lands. Wang, insured in Sanya, is approved on
/// 20 October 2026 (24 months from October), so a period elsewhere since 1 October overlaps.
/// </summary>
public abstract class CrossCheckFileSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(63, "王海", "460200", "460200");
    private PayoutDriver _d = null!;
    private string _wang = "";

    public async ValueTask InitializeAsync() => (_d, _wang) = await CrossCheckDriver.StartWithRecipientAsync(store, Wang);

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private static Dictionary<int, string> Rejected(JsonElement result) =>
        result.GetProperty("rejected").EnumerateArray().ToDictionary(r => r.GetProperty("line").GetInt32(),
            r => string.Join(" | ", r.GetProperty("errors").EnumerateArray().Select(e => e.GetString())));

    [Fact]
    public async Task A_line_with_more_or_fewer_fields_than_the_header_is_refused_by_its_number_and_the_rest_lands_once()
    {
        var csv = CrossCheckDriver.Csv(
            CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-10-01"),
            $"{Wang.IdNumber},{Wang.Name},福建省,employed,2026-10-01,2026-10-31,",
            $"{Wang.IdNumber},{Wang.Name},浙江省,insured,2026-10-01",
            $"{Wang.IdNumber},王,海,江苏省,insured,2026-10-01,");

        var first = await _d.CrossChecksAsync(csv);
        var second = await _d.CrossChecksAsync(csv);

        foreach (var result in new[] { first, second })
        {
            var rejected = Rejected(result);
            Assert.Equal([3, 4, 5], rejected.Keys.Order());
            Assert.Equal("7 fields, where the header has 6", rejected[3]);
            Assert.Equal("5 fields, where the header has 6", rejected[4]);
            Assert.Equal("7 fields, where the header has 6", rejected[5]);
            Assert.Equal((4, 1), (result.GetProperty("lines").GetInt32(), result.GetProperty("matched").GetInt32()));
        }
        Assert.Equal((1, 0), (first.GetProperty("suspended").GetInt32(), first.GetProperty("alreadyMatched").GetInt32()));
        Assert.Equal((0, 1), (second.GetProperty("suspended").GetInt32(), second.GetProperty("alreadyMatched").GetInt32()));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches WHERE province = '广东省'"));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
        Assert.Single(await _d.HistoryAsync(_wang), t => t == "cross-check-suspended");
        Assert.Equal(2, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_runs WHERE status = 'completed' AND rejected = 3"));
    }

    [Fact]
    public async Task A_province_that_does_not_exist_is_refused_and_a_short_name_is_the_same_province_as_its_full_name()
    {
        var csv = CrossCheckDriver.Csv(
            CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-10-01"),
            CrossCheckDriver.Line(Wang, "火星省", "insured", "2026-10-01"),
            CrossCheckDriver.Line(Wang, "广东", "insured", "2026-10-01"));

        var result = await _d.CrossChecksAsync(csv);

        var rejected = Rejected(result);
        Assert.Equal([3, 4], rejected.Keys.Order());
        Assert.StartsWith("province: not a province-level division", rejected[3]);
        Assert.StartsWith("duplicate:", rejected[4]);
        Assert.Equal((1, 1), (result.GetProperty("matched").GetInt32(), result.GetProperty("suspended").GetInt32()));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
        Assert.Equal(1, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches WHERE province = '广东省'"));
    }

    [Fact]
    public async Task A_file_that_is_not_UTF_8_is_refused_and_suspends_nobody()
    {
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding("GBK")!.GetBytes(
            CrossCheckDriver.Csv(CrossCheckDriver.Line(Wang, "广东省", "insured", "2026-10-01")));
        var declared = new ByteArrayContent(bytes);
        declared.Headers.ContentType = new("text/csv") { CharSet = "gbk" };
        var undeclared = new ByteArrayContent(bytes);
        undeclared.Headers.ContentType = new("text/csv");

        var refused = await _d.Admin.PostAsync("/api/v1/admin/cross-checks", declared);
        var invalid = await _d.Admin.PostAsync("/api/v1/admin/cross-checks", undeclared);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var error = (await invalid.JsonAsync()).GetProperty("errors").EnumerateObject().Single();
        Assert.Equal("$", error.Name);
        Assert.Contains("UTF-8", error.Value[0].GetString());
        Assert.Equal(0, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches"));
        Assert.DoesNotContain("cross-check-suspended", await _d.HistoryAsync(_wang));
    }

    [Fact]
    public async Task Without_the_until_column_a_line_giving_one_anyway_is_refused_and_the_others_land()
    {
        var csv = "idNumber,name,province,kind,since\n" +
                  $"{Wang.IdNumber},{Wang.Name},广东省,insured,2026-10-01\n" +
                  $"{Wang.IdNumber},{Wang.Name},福建省,employed,2026-10-01,2026-10-31\n";

        var result = await _d.CrossChecksAsync(csv);

        Assert.Equal("6 fields, where the header has 5", Assert.Single(Rejected(result), r => r.Key == 3).Value);
        Assert.Single(Rejected(result));
        Assert.Equal((2, 1, 1), (result.GetProperty("lines").GetInt32(), result.GetProperty("matched").GetInt32(),
            result.GetProperty("suspended").GetInt32()));
        Assert.Equal(0, await _d.CountAsync("SELECT COUNT(*) FROM cross_check_matches WHERE province = '福建省'"));
    }
}

public sealed class CrossCheckFileOnSqlite() : CrossCheckFileSpec(Store.Sqlite);

public sealed class CrossCheckFileOnPostgres() : CrossCheckFileSpec(Store.Postgres);
