using Tongban.Domain.Province;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Province;

public class CityTests
{
    private static readonly DateOnly RaisedOn = new(2025, 7, 1);

    // Shijiazhuang raised its standard from 1,760 to 1,980 yuan a month (seed 001).
    private static readonly City Shijiazhuang = new("130100", "石家庄", [new Office("130100-01", "石家庄市社保中心", 5)],
        [new BenefitStandard(RaisedOn, 198000), new BenefitStandard(new DateOnly(2023, 1, 1), 176000)]);

    [Fact]
    public void Day_before_the_raise_pays_the_old_standard()
    {
        Assert.Equal(176000, Shijiazhuang.StandardOn(RaisedOn.AddDays(-1)));
    }

    [Fact]
    public void Raise_applies_from_its_effective_date()
    {
        Assert.Equal(198000, Shijiazhuang.StandardOn(RaisedOn));
        Assert.Equal(198000, Shijiazhuang.StandardOn(new DateOnly(2026, 11, 22)));
    }

    [Fact]
    public void Before_the_first_standard_there_is_none()
    {
        Assert.Null(Shijiazhuang.StandardOn(new DateOnly(2022, 12, 31)));
    }

    [Fact]
    public void Province_finds_cities_and_offices_by_code()
    {
        var hainan = TestProvince.Hainan();

        Assert.Equal("三亚", hainan.FindCity("460200")?.Name);
        Assert.Null(hainan.FindCity("460300"));
        Assert.Equal(2, hainan.FindOffice("460100-02")?.Reviewers);
        Assert.Null(hainan.FindOffice("460100-03"));
    }
}
