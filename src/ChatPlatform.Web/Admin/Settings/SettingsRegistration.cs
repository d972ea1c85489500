namespace ChatPlatform.Web.Admin.Settings;

/// <summary>
/// The editable settings: DATA_DIR/settings.json as a configuration source (added first, so every later registration
/// reads the edited values), the editor, and the sections only the admin console reads (Teacher, Threads).
/// </summary>
public static class SettingsRegistration
{
    public static WebApplicationBuilder AddEditableSettings(this WebApplicationBuilder builder)
    {
        var file = SettingsFile.AddTo(builder.Configuration);
        builder.Services.AddSingleton(file);
        builder.Services.AddSingleton<SettingsEditor>();
        builder.Services.AddOptions<TeacherSettings>().Bind(builder.Configuration.GetSection(TeacherSettings.Section));
        builder.Services.AddOptions<ThreadBudgets>().Bind(builder.Configuration.GetSection(ThreadBudgets.Section))
            .Validate(t => !t.Problems().Any(), $"{ThreadBudgets.Section}: thread counts must be at least 1").ValidateOnStart();
        return builder;
    }
}
