namespace MLNetExt.Core.Schedules;

/// <summary>Argument checks shared by the schedules.</summary>
internal static class ScheduleArguments
{
    public static void RequireStep(int step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step must be ≥ 0.");
    }

    public static void RequireNonNegative(double value, string name)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value ≥ 0.");
    }

    public static void RequirePositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value > 0.");
    }
}
