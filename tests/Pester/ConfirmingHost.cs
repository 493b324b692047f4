// A PowerShell host for tests: it answers ShouldProcess's confirmation prompts (No when the prompt matches a pattern,
// otherwise Yes) and records them, so -Confirm can be tested without a console.
using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text.RegularExpressions;

namespace HybridDiffusionTests
{
    public sealed class ConfirmingHost : PSHost
    {
        private readonly AnsweringUI _ui;

        public ConfirmingHost(string declinePattern) => _ui = new AnsweringUI(new Regex(declinePattern));

        public List<string> Prompts => _ui.Prompts;
        public override string Name => "ConfirmingHost";
        public override Version Version => new Version(1, 0);
        public override Guid InstanceId { get; } = Guid.NewGuid();
        public override PSHostUserInterface UI => _ui;
        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
        public override void SetShouldExit(int exitCode) { }
        public override void EnterNestedPrompt() => throw new NotSupportedException();
        public override void ExitNestedPrompt() => throw new NotSupportedException();
        public override void NotifyBeginApplication() { }
        public override void NotifyEndApplication() { }

        private sealed class AnsweringUI : PSHostUserInterface
        {
            private readonly Regex _decline;

            public AnsweringUI(Regex decline) => _decline = decline;

            public List<string> Prompts { get; } = new List<string>();
            public override PSHostRawUserInterface RawUI => null;

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Prompts.Add(message);
                string wanted = _decline.IsMatch(message) ? "&No" : "&Yes";
                for (int i = 0; i < choices.Count; i++)
                {
                    if (choices[i].Label == wanted) return i;
                }
                throw new InvalidOperationException("No '" + wanted + "' choice in the prompt.");
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
            public override string ReadLine() => throw new NotSupportedException();
            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();
            public override void Write(string value) { }
            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) { }
            public override void WriteLine(string value) { }
            public override void WriteErrorLine(string value) { }
            public override void WriteDebugLine(string message) { }
            public override void WriteProgress(long sourceId, ProgressRecord record) { }
            public override void WriteVerboseLine(string message) { }
            public override void WriteWarningLine(string message) { }
        }
    }
}
