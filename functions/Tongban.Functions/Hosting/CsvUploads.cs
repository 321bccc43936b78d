using System.Text;
using CsvHelper;
using Microsoft.Net.Http.Headers;
using Tongban.Registry;

namespace Tongban.Hosting;

/// <summary>
/// The CSV files staff upload — the registry's contribution spells, the comparison result of the cross-province check,
/// a bank's return file — read one way: <c>text/csv</c> in UTF-8 only, streamed, fields trimmed, line numbers kept.
/// A file in another encoding (GBK, as many Chinese tools save it) would otherwise land as garbled names and reasons;
/// malformed quoting is refused where it is met, never guessed at.
/// </summary>
public static class CsvUploads
{
    /// <summary>UTF-8 whose bytes are checked: one that is not UTF-8 throws <see cref="InvalidCsvException"/> where it is read.</summary>
    private static readonly Encoding StrictUtf8 = Encoding.GetEncoding("utf-8", EncoderFallback.ExceptionFallback, new NotUtf8());

    /// <summary>
    /// The 415 problem+json for a request that is not <c>text/csv</c>, or declares a charset other than UTF-8
    /// (<c>utf-8</c> or <c>utf8</c>); null when the file may be read.
    /// </summary>
    public static IResult? Unsupported(HttpRequest request)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            return Problems.Of(415, "Unsupported media type", "Send the file as text/csv.");
        if (DeclaresOtherThanUtf8(mediaType))
            return Problems.Of(415, "Unsupported media type",
                $"The file must be UTF-8 (text/csv; charset=utf-8), not {mediaType.Charset}: save it as UTF-8 and send it again.");
        return null;
    }

    /// <summary>
    /// Whether a Content-Type names a charset other than UTF-8 (<c>utf-8</c> or <c>utf8</c>, any case); none named is
    /// UTF-8. Uploaded files and JSON bodies alike are read as UTF-8 only.
    /// </summary>
    public static bool DeclaresOtherThanUtf8(MediaTypeHeaderValue mediaType) =>
        mediaType.Charset.HasValue && !mediaType.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                                   && !mediaType.Charset.Equals("utf8", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A reader over <paramref name="stream"/> (left open) with its header read. A byte order mark is skipped; no other
    /// encoding is guessed. The file is read as it streams in, so an import that commits in parts keeps the parts
    /// committed before bytes that are not UTF-8 (a whole file in another encoding fails at its first Chinese text).
    /// </summary>
    /// <exception cref="InvalidCsvException">The header cannot be read, or is not UTF-8.</exception>
    public static async Task<CsvReader> OpenAsync(Stream stream, CancellationToken ct)
    {
        var text = new StreamReader(stream, StrictUtf8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        // Quoting that breaks RFC 4180 — a quote never closed, text after a closing quote ("海口椰风,"贸易) — throws where it is
        // met (reported as malformed-csv, the lines after it not read), where the library would otherwise guess a value.
        var csv = CsvReader.Create(text, new CsvReaderOptions
        {
            TrackLineNumbers = true, TrimWhitespace = true, MalformedData = CsvMalformedDataHandling.Throw,
        }, leaveOpen: false);
        try
        {
            await csv.ReadHeaderAsync(ct);
            return csv;
        }
        catch (CsvFormatException e)
        {
            await csv.DisposeAsync();
            throw new InvalidCsvException($"The header cannot be read: {e.Message}");
        }
        catch
        {
            await csv.DisposeAsync();
            throw;
        }
    }

    private sealed class NotUtf8 : DecoderFallback
    {
        public override int MaxCharCount => 0;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer();

        private sealed class Buffer : DecoderFallbackBuffer
        {
            public override int Remaining => 0;

            public override bool Fallback(byte[] bytesUnknown, int index) => throw new InvalidCsvException(
                $"The file must be UTF-8, and it has bytes that are not (0x{Convert.ToHexString(bytesUnknown)}): save it as UTF-8 and import it again.");

            public override char GetNextChar() => '\0';

            public override bool MovePrevious() => false;
        }
    }
}
