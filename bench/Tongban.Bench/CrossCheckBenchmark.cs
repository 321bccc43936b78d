using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;
using Tongban.CrossChecks;
using Tongban.Domain;
using Tongban.Domain.Claims;
using Tongban.Domain.Identifiers;
using Tongban.Hosting;
using Tongban.PersonalData;
using Tongban.Storage;

namespace Tongban.Bench;

/// <summary>
/// The monthly cross-province check at scale (issue 12): N recipients (seeded set-based, each with a real identity number
/// whose blind index the import computes), and a comparison file of L lines generated on the fly and streamed into the
/// import — never held whole, on disk or in memory. Every line names a recipient; the file lists each recipient L / N
/// times (another province each), and for one recipient in a hundred the first line's period overlaps the paid months
/// (a match that suspends), the rest closed before the entitlement began (no overlap). Timed from the first byte to the
/// committed matches and suspensions; memory is sampled during the import only.
/// </summary>
public static class CrossCheckBenchmark
{
    private static readonly string[] Provinces = ["广东省", "福建省", "浙江省", "江苏省", "四川省", "湖南省", "湖北省", "河南省", "山东省", "安徽省"];

    public static async Task RunAsync(string provider, int recipients, int lines, string? postgres)
    {
        await using var store = await BenchStore.CreateAsync(provider, postgres, b => b.CommandTimeout = 1200);
        var encryption = RandomNumberGenerator.GetBytes(32);
        var index = RandomNumberGenerator.GetBytes(32);
        await using var app = await TongbanApp.BuildAsync([
            $"--Database:Provider={provider}", $"--ConnectionStrings:Tongban={store.ConnectionString}",
            $"--PersonalData:EncryptionKey={Convert.ToBase64String(encryption)}", $"--PersonalData:IndexKey={Convert.ToBase64String(index)}",
            "--Demo:Enabled=false", "--Durable:InProcess=false", $"--Archive:Path={Path.Combine(store.Folder, "archive")}",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Tongban.CrossChecks.CrossCheckImport=Information",
        ]);
        var db = app.Services.GetRequiredService<Database>();
        var start = YearMonth.Of(Deadlines.LocalDate(DateTimeOffset.UtcNow)).AddMonths(-3);
        var seed = Stopwatch.StartNew();
        await SeedAsync(db, new PersonalDataProtector(encryption, index), recipients, start);
        Console.WriteLine($"[{provider}] seeded {recipients:N0} recipients in {seed.Elapsed.TotalSeconds:F1} s");

        GC.Collect();
        var process = Process.GetCurrentProcess();
        long peakWorkingSet = 0, peakHeap = 0;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                await Task.Delay(20);
            }
        });
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var result = await app.Services.GetRequiredService<CrossCheckImport>()
            .ImportCsvAsync(new GeneratedCsv(recipients, lines, start), "bench", CancellationToken.None);
        var wall = watch.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await sampling.CancelAsync();
        await sampler;

        var expected = Enumerable.Range(0, recipients).Count(r => r % 100 == 0 && r < lines);
        await using (var c = await db.OpenAsync())
        {
            var suspended = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM applications WHERE status = 'suspended'");
            if (result.Lines != lines || result.Suspended != expected || suspended != expected || result.Rejected.Count != 0
                || result.NoOverlap != lines - expected)
                throw new InvalidOperationException(
                    $"{result.Lines} lines, {result.Suspended} suspended ({suspended} claims), {result.NoOverlap} without overlap, {result.Rejected.Count} rejected; expected {expected} matches.");
        }
        Console.WriteLine($"[{provider}] cross-check import of {lines:N0} lines against {recipients:N0} recipients: {wall.TotalSeconds:F2} s wall, {cpu.TotalSeconds:F1} s CPU of this process, " +
                          $"{result.Matched:N0} matched and suspended, {result.NoOverlap:N0} without overlap (load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]})");
        Console.WriteLine($"[{provider}] memory during the import: peak working set {peakWorkingSet / 1048576.0:F0} MB, peak managed heap " +
                          $"{peakHeap / 1048576.0:F0} MB, {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0:F0} MB allocated");
    }

    /// <summary>Recipient <paramref name="i"/>'s identity number: a Sanya number, one per birth day and sequence.</summary>
    private static string IdNumber(int i)
    {
        var first17 = "460200" + new DateOnly(1960, 1, 1).AddDays(i / 1000).ToString("yyyyMMdd") + (i % 1000).ToString("D3");
        return first17 + IdentityNumber.CheckCharacter(first17);
    }

    /// <summary>
    /// The recipients' blind indexes are computed here (HMAC, as the app does) and staged, then one INSERT … SELECT makes
    /// an approved twelve-month entitlement for each.
    /// </summary>
    private static async Task SeedAsync(Database db, PersonalDataProtector protector, int count, YearMonth start)
    {
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await using (var c = await db.OpenAsync())
            await c.ExecuteAsync(postgres ? "CREATE UNLOGGED TABLE bench_keys (i INTEGER, person_key TEXT)" : "CREATE TABLE bench_keys (i INTEGER, person_key TEXT)");
        var keys = Enumerable.Range(0, count).Select(i => (i, protector.PersonKey(IdNumber(i))));
        await db.InTransactionAsync(async (c, t) =>
        {
            if (c is NpgsqlConnection npgsql)
            {
                await using var copy = await npgsql.BeginBinaryImportAsync("COPY bench_keys (i, person_key) FROM STDIN (FORMAT BINARY)");
                foreach (var (i, key) in keys)
                {
                    copy.StartRow();
                    copy.Write(i, NpgsqlDbType.Integer);
                    copy.Write(key, NpgsqlDbType.Text);
                }
                await copy.CompleteAsync();
            }
            else
            {
                await using var insert = c.CreateCommand();
                insert.Transaction = t;
                insert.CommandText = "INSERT INTO bench_keys (i, person_key) VALUES ($i, $key)";
                var pi = insert.CreateParameter();
                pi.ParameterName = "$i";
                var pk = insert.CreateParameter();
                pk.ParameterName = "$key";
                insert.Parameters.Add(pi);
                insert.Parameters.Add(pk);
                insert.Prepare();
                foreach (var (i, key) in keys)
                {
                    pi.Value = i;
                    pk.Value = key;
                    insert.ExecuteNonQuery();
                }
            }
            var guid = postgres
                ? "gen_random_uuid()::text"
                : "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-a' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))";
            await c.ExecuteAsync(
                $"""
                 INSERT INTO applications (id, case_number, service_item, channel, status, is_open, person_key, id_number_enc, name_enc,
                     mobile_enc, portal_id, insuring_city, entitlement_months, monthly_fen, start_month, end_month, received_at, updated_at, version,
                     first_issued_at)
                 SELECT {guid}, 'BENCH-' || k.i, 'unemployment-benefit', 'online', 'approved', 1, k.person_key, @idEnc, @nameEnc,
                     @mobileEnc, 'bench', '460200', 12, 183000, @start, @end, @now, @now, 3, @now
                 FROM bench_keys k
                 """,
                new
                {
                    idEnc = protector.Encrypt("460200198503150011"), nameEnc = protector.Encrypt("王小明"), mobileEnc = protector.Encrypt("13800138000"),
                    start = start.ToString(), end = start.AddMonths(11).ToString(), now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                }, t, commandTimeout: 1200);
        });
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("DROP TABLE bench_keys");
        await connection.ExecuteAsync(postgres ? "VACUUM ANALYZE" : "ANALYZE", commandTimeout: 1200, commandType: System.Data.CommandType.Text);
    }

    /// <summary>The comparison file, written line by line as the import reads it (UTF-8, header first).</summary>
    private sealed class GeneratedCsv(int recipients, int lines, YearMonth start) : Stream
    {
        private byte[] _pending = Encoding.UTF8.GetBytes("idNumber,name,province,kind,since,until\n");
        private int _offset;
        private int _line;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                if (_offset == _pending.Length)
                {
                    if (_line == lines) break;
                    _pending = Next(_line++);
                    _offset = 0;
                }
                var n = Math.Min(count - written, _pending.Length - _offset);
                Buffer.BlockCopy(_pending, _offset, buffer, offset + written, n);
                _offset += n;
                written += n;
            }
            return written;
        }

        private byte[] Next(int line)
        {
            var recipient = line % recipients;
            var round = line / recipients;
            var overlaps = round == 0 && recipient % 100 == 0;
            return Encoding.UTF8.GetBytes(overlaps
                ? $"{IdNumber(recipient)},王小明,{Provinces[0]},insured,{start.AddMonths(1).FirstDay:yyyy-MM-dd},\n"
                : $"{IdNumber(recipient)},王小明,{Provinces[round % Provinces.Length]},employed,2015-03-01,2016-12-31\n");
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
