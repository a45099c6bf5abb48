// Starts `hsl lsp` for HSL files and connects it to the editor.
import { workspace, ExtensionContext, window } from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from "vscode-languageclient/node";

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const command = workspace.getConfiguration("hsl").get<string>("server.path", "hsl");
  const serverOptions: ServerOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "hsl" }],
    synchronize: {
      fileEvents: workspace.createFileSystemWatcher("**/{hsl.toml,smtpd-app.yaml}"),
    },
  };
  client = new LanguageClient("hsl", "HSL language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    window.showErrorMessage(`Could not start \`${command} lsp\`: ${err}. Set "hsl.server.path" to the hsl executable.`);
  }
  context.subscriptions.push({ dispose: () => client?.stop() });
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
