using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Velero.Sdk.Hosting;

/// <summary>Registers the hosted Velero server in a .NET host.</summary>
public static class VeleroServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Velero server (<see cref="VeleroServer"/>, a hosted service) to a Generic Host or an ASP.NET Core app: it
    /// reconciles the velero.io/v1 resources of its namespace as Velero's server does. Calling it again returns the same builder.
    /// The server uses the container's <see cref="Microsoft.Extensions.Logging.ILoggerFactory"/>, <see cref="TimeProvider"/> and
    /// <see cref="System.Diagnostics.Metrics.IMeterFactory"/> when registered; its settings are checked when the host starts.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Settings to apply (optional).</param>
    /// <returns>The builder, to add locations, providers and item actions.</returns>
    public static VeleroServerBuilder AddVelero(this IServiceCollection services, Action<VeleroServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.FirstOrDefault(d => d.ServiceType == typeof(VeleroServerBuilder))?.ImplementationInstance as VeleroServerBuilder;
        if (builder is null)
        {
            builder = new VeleroServerBuilder(services);
            services.AddSingleton(builder);
            services.AddOptions<VeleroServerOptions>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<VeleroServerOptions>, OptionsValidator>();
            services.AddSingleton(sp => builder.Build(sp));
            services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<VeleroServer>());
        }

        if (configure is not null)
        {
            builder.Configure(configure);
        }

        return builder;
    }

    private sealed class OptionsValidator : IValidateOptions<VeleroServerOptions>
    {
        public ValidateOptionsResult Validate(string? name, VeleroServerOptions options)
        {
            var problems = options.Validate();
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
