using Microsoft.Extensions.FileProviders;

namespace Tongban.Hosting;

/// <summary>
/// The staff console (经办工作台, <c>console/</c> in the repository), served standalone at <c>/console/</c>: its built files,
/// and <c>index.html</c> for every other path under it so the single-page app's own routes survive a reload. Middleware,
/// not endpoints: the console is no API route and has no HTTP function (in Azure a Static Web App serves it).
/// </summary>
public static class StaffConsole
{
    /// <summary>Where the console is served.</summary>
    public const string PathBase = "/console";

    /// <summary>
    /// Serves the build from <c>Console:Path</c>, by default the <c>console</c> folder the build copies next to the app;
    /// without a build there, the service runs without the console and says so.
    /// </summary>
    public static void UseStaffConsole(this WebApplication app)
    {
        var root = app.Configuration["Console:Path"] ?? Path.Combine(AppContext.BaseDirectory, "console");
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogWarning("未找到经办工作台的构建结果（{Root}），/console/ 不可用：在 console/ 下运行 npm ci 和 npm run build 后重新构建", root);
            return;
        }
        var files = new PhysicalFileProvider(Path.GetFullPath(root));
        app.Map(PathBase, console =>
        {
            console.Use((http, next) =>
            {
                if (http.Request.Path.HasValue) return next(http);
                http.Response.Redirect($"{http.Request.PathBase}/{http.Request.QueryString}");
                return Task.CompletedTask;
            });
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // Vite names every asset by its content hash; index.html names the current ones and is never cached.
                OnPrepareResponse = c => c.Context.Response.Headers.CacheControl =
                    c.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
            });
            console.Run(async http =>
            {
                if (Path.HasExtension(http.Request.Path.Value) || !HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
                {
                    http.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                http.Response.ContentType = "text/html; charset=utf-8";
                http.Response.Headers.CacheControl = "no-cache";
                await http.Response.SendFileAsync(files.GetFileInfo("index.html"), http.RequestAborted);
            });
        });
    }
}
