using Tongban.Domain.Province;
using Tongban.Domain.Routing;
using Tongban.Domain.Tests.Support;

namespace Tongban.Domain.Tests.Routing;

/// <summary>Online applications go to a city's offices in proportion to reviewers on duty that day, else the province file's staffing.</summary>
public class OfficeAllocationTests
{
    // Haikou: 460100-01 has 4 reviewers in the province file, 460100-02 has 2.
    private static readonly IReadOnlyList<Office> Haikou = TestProvince.Haikou.Offices;

    /// <summary>Where <paramref name="cases"/> new cases go, one after another, each counted as open once assigned.</summary>
    private static Dictionary<string, int> Allocate(int cases, IReadOnlyDictionary<string, int>? onDuty)
    {
        var open = new Dictionary<string, int>();
        for (var i = 0; i < cases; i++)
        {
            var office = OfficeAllocation.Choose(Haikou, open, onDuty).Code;
            open[office] = open.GetValueOrDefault(office) + 1;
        }
        return open;
    }

    [Fact]
    public void Without_the_days_staffing_the_province_files_reviewers_set_the_shares()
    {
        Assert.Equal(new Dictionary<string, int> { ["460100-01"] = 40, ["460100-02"] = 20 }, Allocate(60, null));
    }

    [Fact]
    public void The_days_staffing_set_by_the_supervisor_sets_the_shares()
    {
        var onDuty = new Dictionary<string, int> { ["460100-01"] = 1, ["460100-02"] = 5 };

        Assert.Equal(new Dictionary<string, int> { ["460100-01"] = 10, ["460100-02"] = 50 }, Allocate(60, onDuty));
    }

    [Fact]
    public void An_office_with_nobody_on_duty_takes_no_new_cases()
    {
        var onDuty = new Dictionary<string, int> { ["460100-01"] = 0 };

        Assert.Equal(new Dictionary<string, int> { ["460100-02"] = 30 }, Allocate(30, onDuty));
    }

    [Fact]
    public void An_office_the_supervisor_did_not_set_counts_its_reviewers_from_the_province_file()
    {
        var onDuty = new Dictionary<string, int> { ["460100-02"] = 4 };

        Assert.Equal(new Dictionary<string, int> { ["460100-01"] = 20, ["460100-02"] = 20 }, Allocate(40, onDuty));
    }

    [Fact]
    public void A_day_with_nobody_on_duty_anywhere_falls_back_to_the_province_file()
    {
        var onDuty = new Dictionary<string, int> { ["460100-01"] = 0, ["460100-02"] = 0 };

        Assert.Equal(new Dictionary<string, int> { ["460100-01"] = 20, ["460100-02"] = 10 }, Allocate(30, onDuty));
    }

    [Fact]
    public void Open_cases_already_held_count_against_an_office()
    {
        var onDuty = new Dictionary<string, int> { ["460100-01"] = 2, ["460100-02"] = 2 };
        var open = new Dictionary<string, int> { ["460100-01"] = 9, ["460100-02"] = 1 };

        Assert.Equal("460100-02", OfficeAllocation.Choose(Haikou, open, onDuty).Code);
    }
}
