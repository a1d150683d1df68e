using Velero.Sdk.Backup;
using Velero.Sdk.Scheduling;

namespace Velero.Sdk.Tests.Scheduling;

public class ScheduleBuilderTests
{
    [Fact]
    public void Builds_a_schedule_with_its_backup_template()
    {
        var request = new ScheduleBuilder("nightly", "@daily")
            .IncludeNamespaces("apps-*")
            .WithTtl(TimeSpan.FromDays(7))
            .WithBackupLabel("tier", "gold")
            .SkipImmediately()
            .UseOwnerReferencesInBackup()
            .Build();
        request.Name.ShouldBe("nightly");
        request.Cron.Expression.ShouldBe("@daily");
        request.SkipImmediately.ShouldBe(true);
        request.Paused.ShouldBeFalse();
        var s = request.ToSchedule();
        s.Kind.ShouldBe("Schedule");
        s.Spec.Schedule.ShouldBe("@daily");
        s.Spec.Template!.IncludedNamespaces.ShouldBe(["apps-*"]);
        s.Spec.Template.Ttl.ShouldBe("168h0m0s");
        s.Spec.Template.Metadata!.Labels!["tier"].ShouldBe("gold");
        s.Spec.UseOwnerReferencesInBackup.ShouldBe(true);
    }

    [Fact]
    public void Backups_are_named_after_the_schedule_and_the_utc_time()
    {
        var request = new ScheduleBuilder("nightly", "0 1 * * *").Build();
        request.GetBackupName(new DateTimeOffset(2026, 11, 28, 3, 4, 5, TimeSpan.FromHours(2))).ShouldBe("nightly-20261128010405");
    }

    [Theory]
    [InlineData("0 0 32 * *", "invalid schedule: invalid day of month field (field 3) \"32\"")]
    [InlineData("", "invalid schedule: empty spec string")]
    [InlineData("* * *", "invalid schedule: expected exactly 5 fields, found 3: [* * *]")]
    public void Invalid_cron_names_the_field(string cron, string message) =>
        Should.Throw<VeleroValidationException>(() => new ScheduleBuilder("s", cron).Build()).Errors.ShouldContain(x => x.StartsWith(message, StringComparison.Ordinal));

    [Fact]
    public void The_template_is_validated_as_a_backup()
    {
        var e = Should.Throw<VeleroValidationException>(() => new ScheduleBuilder("S", "@hourly")
            .IncludeResources("pods").IncludeClusterScopedResources("pv")
            .WithBackupLabel("k", "bad value")
            .Build());
        e.Errors.ShouldContain(x => x.StartsWith("invalid schedule name \"S\"", StringComparison.Ordinal));
        e.Errors.ShouldContain(BackupValidation.MixedFiltersMessage);
        e.Errors.ShouldContain(x => x.StartsWith("template.metadata: invalid value of label \"k\"", StringComparison.Ordinal));
    }

    [Fact]
    public void From_an_existing_resource_keeps_paused()
    {
        var s = new ScheduleBuilder("s", "@every 6h").Paused().Build().ToSchedule();
        var again = ScheduleBuilder.From(s).Build();
        again.Paused.ShouldBeTrue();
        again.Cron.Interval.ShouldBe(TimeSpan.FromHours(6));
    }
}
