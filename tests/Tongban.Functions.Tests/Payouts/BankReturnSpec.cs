using System.Net;
using System.Text;
using System.Text.Json;
using Tongban.Domain.Ledger;
using Tongban.Tests.Infrastructure;

namespace Tongban.Tests.Payouts;

/// <summary>The bank's return file: payments paid or returned, reissues, second failures flagged for staff.</summary>
public abstract class BankReturnSpec(Store store) : IAsyncLifetime
{
    private static readonly Person Wang = new(21, "王海", "460200", "460200");
    private static readonly Person Li = new(22, "李娜", "460200", "460200");
    private PayoutDriver _d = null!;

    public async ValueTask InitializeAsync()
    {
        _d = await PayoutDriver.StartAsync(store, new DateTimeOffset(2026, 10, 20, 9, 0, 0, PayoutDriver.China));
        await _d.ScheduledRunAsync("2026-10");
        await _d.ImportAsync(Wang.Spell(), Li.Spell());
    }

    public async ValueTask DisposeAsync() => await _d.DisposeAsync();

    private static string Ref(List<JsonElement> payments, string period, int attempt = 1) =>
        payments.Single(p => p.GetProperty("period").GetString() == period && p.GetProperty("attempt").GetInt32() == attempt)
            .GetProperty("paymentId").GetString()!;

    private static string Status(List<JsonElement> payments, string period, int attempt = 1) =>
        payments.Single(p => p.GetProperty("period").GetString() == period && p.GetProperty("attempt").GetInt32() == attempt)
            .GetProperty("status").GetString()!;

    [Fact]
    public async Task Lines_mark_payments_paid_or_returned_and_bad_lines_are_reported_by_line_number()
    {
        var wang = await _d.ApproveAsync(Wang);
        var li = await _d.ApproveAsync(Li);
        await _d.TodayAsync(2026, 11, 1);
        var run = await _d.RunAsync("2026-11");
        var runId = run.GetProperty("runId").GetString()!;
        var (w, l) = (await _d.PaymentsAsync(wang), await _d.PaymentsAsync(li));
        var file = $"""
            reference,status,reason
            {Ref(w, "2026-10")},paid,
            {Ref(w, "2026-11")},paid,
            {Ref(l, "2026-10")},returned,账户已冻结
            202611B01ffffffffffffffffffffffffffffffff,paid,
            {Ref(l, "2026-11")},bounced,
            ,paid,
            "{Ref(l, "2026-11")},paid,

            """;

        var result = await _d.ReturnsAsync(runId, file);

        Assert.Equal(2, result.GetProperty("paid").GetInt32());
        Assert.Equal(1, result.GetProperty("returned").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([5, 6, 7, 8], rejected.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Contains("unknown reference", rejected[0].GetProperty("errors")[0].GetString());
        Assert.Contains("bounced", rejected[1].GetProperty("errors")[0].GetString());
        // Programs read which column is at fault from the problems: the reference, the status, the missing reference.
        Assert.Equal(["reference", "status", "reference"], rejected[..3].Select(r =>
        {
            var problem = r.GetProperty("problems")[0];
            Assert.Equal("column", problem.GetProperty("code").GetString());
            return problem.GetProperty("column").GetString();
        }));
        // An unclosed quote swallows the rest of the file into one field: that line is rejected, nothing after it is guessed at.
        Assert.NotEqual(0, rejected[3].GetProperty("errors").GetArrayLength());
        (w, l) = (await _d.PaymentsAsync(wang), await _d.PaymentsAsync(li));
        Assert.Equal(["paid", "paid"], w.Select(p => p.GetProperty("status").GetString()));
        Assert.Equal("returned", Status(l, "2026-10"));
        Assert.Equal("账户已冻结", l[0].GetProperty("returnReason").GetString());
        Assert.Equal("sent", Status(l, "2026-11"));

        // The same file again changes nothing; a paid payment cannot then be returned.
        var again = await _d.ReturnsAsync(runId, file);
        Assert.Equal(0, again.GetProperty("paid").GetInt32());
        Assert.Equal(3, again.GetProperty("unchanged").GetInt32());
        var conflicting = await _d.ReturnsAsync(runId, $"reference,status,reason\n{Ref(w, "2026-10")},returned,\n");
        Assert.Contains("cannot now be returned", conflicting.GetProperty("rejected")[0].GetProperty("errors")[0].GetString());

        var fund = await _d.FundAsync("460200");
        var (oct, nov) = (PayoutDriver.Yuan(_d.Amounts("460200", "2026-10").BenefitFen), PayoutDriver.Yuan(_d.Amounts("460200", "2026-11").BenefitFen));
        Assert.Equal(oct + nov, fund[Accounts.BankPayments].Credit);
        Assert.Equal(oct, fund[Accounts.Returned].Balance);
        Assert.Equal(nov, fund[Accounts.PayableToBank].Balance);
    }

    [Fact]
    public async Task A_line_with_more_or_fewer_fields_than_the_header_is_refused_alone_and_the_rest_lands()
    {
        var wang = await _d.ApproveAsync(Wang);
        var li = await _d.ApproveAsync(Li);
        await _d.TodayAsync(2026, 11, 1);
        var runId = (await _d.RunAsync("2026-11")).GetProperty("runId").GetString()!;
        var (w, l) = (await _d.PaymentsAsync(wang), await _d.PaymentsAsync(li));
        // Lines 2 and 3 are what the README's awk writes: three fields, an empty reason on the paid one.
        var file = $"""
            reference,status,reason
            {Ref(w, "2026-10")},returned,账户已销户
            {Ref(w, "2026-11")},paid,
            {Ref(l, "2026-10")},returned,账户,已冻结,多余
            {Ref(l, "2026-11")},paid

            """;

        var result = await _d.ReturnsAsync(runId, file);

        Assert.Equal(1, result.GetProperty("paid").GetInt32());
        Assert.Equal(1, result.GetProperty("returned").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray().ToList();
        Assert.Equal([4, 5], rejected.Select(r => r.GetProperty("line").GetInt32()));
        Assert.Equal("5 fields, where the header has 3", rejected[0].GetProperty("errors")[0].GetString());
        Assert.Equal("2 fields, where the header has 3", rejected[1].GetProperty("errors")[0].GetString());
        Assert.All(rejected, r => Assert.Equal("field-count", r.GetProperty("problems")[0].GetProperty("code").GetString()));
        (w, l) = (await _d.PaymentsAsync(wang), await _d.PaymentsAsync(li));
        Assert.Equal("returned", Status(w, "2026-10"));
        Assert.Equal("paid", Status(w, "2026-11"));
        Assert.Equal(["sent", "sent"], l.Select(p => p.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_return_file_that_is_not_UTF_8_is_refused_and_settles_nothing()
    {
        var wang = await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        var runId = (await _d.RunAsync("2026-11")).GetProperty("runId").GetString()!;
        var w = await _d.PaymentsAsync(wang);
        var bytes = CodePagesEncodingProvider.Instance.GetEncoding("GBK")!.GetBytes(
            $"reference,status,reason\n{Ref(w, "2026-10")},returned,账户已销户\n");
        var declared = new ByteArrayContent(bytes);
        declared.Headers.ContentType = new("text/csv") { CharSet = "gbk" };
        var undeclared = new ByteArrayContent(bytes);
        undeclared.Headers.ContentType = new("text/csv");

        var refused = await _d.Admin.PostAsync($"/api/v1/admin/payout-runs/{runId}/returns", declared);
        var invalid = await _d.Admin.PostAsync($"/api/v1/admin/payout-runs/{runId}/returns", undeclared);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var error = (await invalid.JsonAsync()).GetProperty("errors").EnumerateObject().Single();
        Assert.Equal("$", error.Name);
        Assert.Contains("UTF-8", error.Value[0].GetString());
        Assert.Equal("sent", Status(await _d.PaymentsAsync(wang), "2026-10"));
    }

    [Fact]
    public async Task A_paid_payment_sends_an_SMS_with_the_month_the_amount_and_only_the_last_four_digits_of_the_account()
    {
        var wang = await _d.ApproveAsync(Wang);
        await _d.TodayAsync(2026, 11, 1);
        await _d.AllPaidAsync(await _d.RunAsync("2026-11"));

        var sms = await _d.SmsAsync(wang, "paid");

        Assert.Equal(2, sms.Count);
        var november = sms.Single(s => s.GetProperty("body").GetString()!.Contains("2026年11月"));
        var body = november.GetProperty("body").GetString()!;
        Assert.Contains($"{PayoutDriver.Yuan(_d.Amounts("460200", "2026-11").BenefitFen):0.00}元", body);
        Assert.Contains("尾号" + Wang.Account[^4..], body);
        Assert.DoesNotContain(Wang.Account, body);
        Assert.Equal(Wang.Mobile[..3] + "****" + Wang.Mobile[^4..], november.GetProperty("to").GetString());
    }

    [Fact]
    public async Task Reissuing_a_payment_that_does_not_exist_is_a_404_problem_not_a_conflict()
    {
        var response = await _d.Admin.PostAsync("/api/v1/admin/payments/no-such-payment/reissue", null);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-such-payment", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_returned_payment_is_reissued_in_the_next_run_and_a_second_return_goes_to_staff()
    {
        var li = await _d.ApproveAsync(Li);
        await _d.TodayAsync(2026, 11, 1);
        var november = await _d.RunAsync("2026-11");
        var l = await _d.PaymentsAsync(li);
        await _d.ReturnsAsync(november.GetProperty("runId").GetString()!,
            $"reference,status,reason\n{Ref(l, "2026-10")},returned,户名不符\n{Ref(l, "2026-11")},paid,\n");

        await _d.TodayAsync(2026, 12, 1);
        var december = await _d.RunAsync("2026-12");
        var october = PayoutDriver.Yuan(_d.Amounts("460200", "2026-10").BenefitFen);
        Assert.Equal(october, december.GetProperty("reissued").GetDecimal());
        Assert.Equal(october + PayoutDriver.Yuan(_d.Amounts("460200", "2026-12").BenefitFen), december.GetProperty("totalAmount").GetDecimal());
        l = await _d.PaymentsAsync(li);
        Assert.Equal("sent", Status(l, "2026-10", attempt: 2));
        // The medical-insurance contribution went with October's first issue: December's run pays December's only.
        Assert.Equal(PayoutDriver.Yuan(_d.Amounts("460200", "2026-12").MedicalFen), december.GetProperty("medicalContribution").GetDecimal());

        await _d.ReturnsAsync(december.GetProperty("runId").GetString()!, $"reference,status,reason\n{Ref(l, "2026-10", 2)},returned,户名不符\n");
        var flagged = (await _d.Admin.GetJsonAsync("/api/v1/admin/payments?flagged=true")).EnumerateArray().ToList();
        var second = Assert.Single(flagged);
        Assert.Equal(Ref(l, "2026-10", 2), second.GetProperty("paymentId").GetString());
        Assert.Equal(2, second.GetProperty("attempt").GetInt32());

        // Not reissued by itself: January's run leaves it with staff.
        await _d.TodayAsync(2027, 1, 1);
        var january = await _d.RunAsync("2027-01");
        Assert.Equal(0m, january.GetProperty("reissued").GetDecimal());

        // Staff put the account right and reissue it once; the next run pays it.
        var reissue = await _d.Admin.PostAsync($"/api/v1/admin/payments/{Ref(l, "2026-10", 2)}/reissue", null);
        Assert.Equal(HttpStatusCode.Accepted, reissue.StatusCode);
        await _d.Admin.PostAsync($"/api/v1/admin/payments/{Ref(l, "2026-10", 2)}/reissue", null).AssertRefusedAsync(HttpStatusCode.Conflict, "payment-not-flagged");
        Assert.Empty((await _d.Admin.GetJsonAsync("/api/v1/admin/payments?flagged=true")).EnumerateArray());
        await _d.TodayAsync(2027, 2, 1);
        Assert.Equal(october, (await _d.RunAsync("2027-02")).GetProperty("reissued").GetDecimal());
        Assert.Equal("sent", Status(await _d.PaymentsAsync(li), "2026-10", attempt: 3));
        Assert.True((await _d.Admin.GetJsonAsync("/api/v1/admin/funds/460200")).GetProperty("balanced").GetBoolean());
    }

    [Fact]
    public async Task A_person_without_a_card_account_is_held_back_for_staff_instead_of_being_sent()
    {
        var noAccount = new Person(23, "赵敏", "460200", "460200");
        await _d.ImportAsync(noAccount.Spell().Replace(noAccount.Account, ""));
        var id = await _d.ApproveAsync(noAccount);
        await _d.TodayAsync(2026, 11, 1);

        var run = await _d.RunAsync("2026-11");

        var file = run.GetProperty("files").EnumerateArray().Single();
        Assert.Equal(0, file.GetProperty("payments").GetInt64());
        Assert.Equal(2, file.GetProperty("held").GetInt64());
        Assert.All(await _d.PaymentsAsync(id), p =>
        {
            Assert.Equal("returned", p.GetProperty("status").GetString());
            Assert.True(p.GetProperty("flagged").GetBoolean());
        });
        Assert.Equal(2, (await _d.Admin.GetJsonAsync("/api/v1/admin/payments?flagged=true")).GetArrayLength());
        Assert.Single(await _d.BankFileAsync(run.GetProperty("runId").GetString()!, "460200"));
        var fund = await _d.FundAsync("460200");
        Assert.Equal(fund[Accounts.BenefitExpense].Balance, fund[Accounts.Returned].Balance);
    }

    [Fact]
    public async Task The_return_file_needs_its_header_a_CSV_body_and_an_existing_run()
    {
        await _d.TodayAsync(2026, 11, 1);
        var run = await _d.RunAsync("2026-11");
        var runId = run.GetProperty("runId").GetString()!;

        var noHeader = await _d.PostReturnsAsync(runId, "202611B01x,paid,\n");
        Assert.Equal(HttpStatusCode.BadRequest, noHeader.StatusCode);
        Assert.Equal("application/problem+json", noHeader.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await _d.PostReturnsAsync("no-such-run", "reference,status,reason\n")).StatusCode);
        var json = await _d.Admin.PostJsonAsync($"/api/v1/admin/payout-runs/{runId}/returns", new { reference = "x" });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, json.StatusCode);
    }
}

public sealed class BankReturnOnSqlite() : BankReturnSpec(Store.Sqlite);

public sealed class BankReturnOnPostgres() : BankReturnSpec(Store.Postgres);
