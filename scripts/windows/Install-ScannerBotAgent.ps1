#Requires -Version 5.1
#Requires -RunAsAdministrator
<#
.SYNOPSIS
  Installs the scanner-bot node agent as a Windows service on a scanner node.

.DESCRIPTION
  Node.js is not a Windows service by itself, so the agent runs under WinSW (https://github.com/winsw/winsw),
  a small service wrapper: download WinSW-x64.exe (v2.12 or later) once and pass its path with -WinSWPath.
  The agent is the one-file build (`npm run build:agent` on any machine with the repository): the script copies
  scanner-bot-agent.js, scanner-bot-agent-mssql.js (the SQL Server client, loaded only by the database check) and
  the scripts\ folder of PowerShell probes from -SourceDirectory into -InstallDirectory. No npm, no node_modules.
  The script
    1. checks Node.js (20.19 or later), copies the agent and validates the config with `scanner-bot-agent.js --check`,
    2. optionally creates the shared secret file, readable only by the service account, SYSTEM and Administrators,
    3. writes the WinSW service definition next to a copy of WinSW and installs the service,
    4. sets the service to log on as the scanner's service account (so %LOCALAPPDATA% is the scanner's:
       logs, reports, policy cache), without writing the password anywhere,
    5. optionally opens the agent's port in Windows Firewall for the bot's address only, and starts the service.
  Run it from an elevated Windows PowerShell 5.1: from the copied dist folder (it holds this script too), or from a
  checkout after `npm run build:agent`.

.PARAMETER ConfigPath
  The agent config (see examples\agent.windows.yml).

.PARAMETER ServiceCredential
  The scanner service account (the account the scanner service runs as). For a gMSA give DOMAIN\name$ with an empty password.

.PARAMETER WinSWPath
  Path to WinSW-x64.exe.

.PARAMETER GenerateSecretPath
  Creates this secret file with 32 random bytes (hex) if it does not exist yet. Put the same value in the bot's config.

.PARAMETER FirewallRemoteAddress
  Opens the agent's TCP port for this address (the bot's host) only.

.PARAMETER GrantEventLogRead
  Adds the service account to the local Event Log Readers group (well-known SID S-1-5-32-573, so localized
  group names do not matter), which reading the scanner's event log needs.

.PARAMETER SourceDirectory
  Where the built agent is: this script's folder when it holds scanner-bot-agent.js (a copied dist folder),
  otherwise the repository's dist folder.

.PARAMETER InstallDirectory
  Where the agent is copied to and runs from (default %ProgramFiles%\ScannerBot\agent, writable only by
  Administrators, so the service account cannot change the code it runs).

.PARAMETER Uninstall
  Stops and removes the service (the config, secret and logs stay).

.EXAMPLE
  .\scripts\windows\Install-ScannerBotAgent.ps1 -ConfigPath C:\ProgramData\ScannerBot\agent.yml `
    -ServiceCredential (Get-Credential CONTOSO\svc-aipscanner) -WinSWPath C:\Temp\WinSW-x64.exe `
    -GenerateSecretPath C:\ProgramData\ScannerBot\agent.secret -FirewallRemoteAddress 10.0.5.20
#>
[CmdletBinding(DefaultParameterSetName = 'Install', SupportsShouldProcess = $true)]
param(
  [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
  [string]$ConfigPath,

  [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
  [System.Management.Automation.PSCredential]$ServiceCredential,

  [Parameter(Mandatory = $true, ParameterSetName = 'Install')]
  [string]$WinSWPath,

  [Parameter(ParameterSetName = 'Install')]
  [string]$GenerateSecretPath,

  [Parameter(ParameterSetName = 'Install')]
  [string]$FirewallRemoteAddress,

  [Parameter(ParameterSetName = 'Install')]
  [int]$Port = 8443,

  [Parameter(ParameterSetName = 'Install')]
  [switch]$GrantEventLogRead,

  [string]$ServiceName = 'ScannerBotAgent',

  [string]$SourceDirectory = $(if (Test-Path -LiteralPath (Join-Path $PSScriptRoot 'scanner-bot-agent.js')) { $PSScriptRoot } else { Join-Path $PSScriptRoot '..\..\dist' }),

  [string]$InstallDirectory = (Join-Path $env:ProgramFiles 'ScannerBot\agent'),

  [string]$DataDirectory = 'C:\ProgramData\ScannerBot',

  [Parameter(Mandatory = $true, ParameterSetName = 'Uninstall')]
  [switch]$Uninstall
)

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$wrapperExe = Join-Path $DataDirectory "$ServiceName.exe"
$wrapperXml = Join-Path $DataDirectory "$ServiceName.xml"

if ($Uninstall) {
  if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
    Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
    if (Test-Path -LiteralPath $wrapperExe) { & $wrapperExe uninstall | Out-Host } else { & sc.exe delete $ServiceName | Out-Host }
  }
  Get-NetFirewallRule -DisplayName "scanner-bot agent ($ServiceName)" -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  Write-Host "Removed the $ServiceName service. Config, secret and logs in $DataDirectory are kept."
  return
}

# 1. Node.js and the config.
$node = (Get-Command node.exe -ErrorAction Stop).Source
$version = (& $node --version).TrimStart('v')
if ([version]$version -lt [version]'20.19.0') { throw "Node.js 20.19 or later is required; found $version at $node." }
$agentFiles = @('scanner-bot-agent.js', 'scanner-bot-agent-mssql.js', 'scripts')
foreach ($file in $agentFiles) {
  if (-not (Test-Path -LiteralPath (Join-Path $SourceDirectory $file))) {
    throw "$file not found in ${SourceDirectory}: build the agent with npm run build:agent and copy the dist folder."
  }
}
[void](New-Item -ItemType Directory -Force -Path $InstallDirectory)
foreach ($file in $agentFiles) {
  Copy-Item -LiteralPath (Join-Path $SourceDirectory $file) -Destination $InstallDirectory -Recurse -Force
}
$cli = Join-Path $InstallDirectory 'scanner-bot-agent.js'
Write-Host "Installed $(& $node $cli --version) in $InstallDirectory."
$ConfigPath = (Resolve-Path -LiteralPath $ConfigPath).Path
if (-not (Test-Path -LiteralPath $WinSWPath)) { throw "WinSW not found at $WinSWPath." }
[void](New-Item -ItemType Directory -Force -Path $DataDirectory, (Join-Path $DataDirectory 'logs'), (Join-Path $DataDirectory 'exports'), (Join-Path $DataDirectory 'data'))

$account = $ServiceCredential.UserName

# 2. The shared secret: random, and readable only by the service account, SYSTEM and Administrators.
if ($GenerateSecretPath -and -not (Test-Path -LiteralPath $GenerateSecretPath)) {
  $bytes = New-Object byte[] 32
  [System.Security.Cryptography.RandomNumberGenerator]::Create().GetBytes($bytes)
  $hex = -join ($bytes | ForEach-Object { $_.ToString('x2') })
  [System.IO.File]::WriteAllText($GenerateSecretPath, $hex, (New-Object System.Text.UTF8Encoding $false))
  $acl = New-Object System.Security.AccessControl.FileSecurity
  $acl.SetAccessRuleProtection($true, $false)
  foreach ($who in @($account, 'NT AUTHORITY\SYSTEM', 'BUILTIN\Administrators')) {
    $rule = New-Object System.Security.AccessControl.FileSystemAccessRule($who, 'Read', 'Allow')
    $acl.AddAccessRule($rule)
  }
  $adminsFull = New-Object System.Security.AccessControl.FileSystemAccessRule('BUILTIN\Administrators', 'FullControl', 'Allow')
  $acl.AddAccessRule($adminsFull)
  Set-Acl -LiteralPath $GenerateSecretPath -AclObject $acl
  Write-Host "Wrote a new shared secret to $GenerateSecretPath. Copy it into the bot's config for this node."
}

Write-Host 'Validating the agent config...'
& $node $cli --check --config $ConfigPath
if ($LASTEXITCODE -ne 0) { throw "The agent config $ConfigPath is not valid (see above)." }

# 3. The WinSW definition. Paths are XML-escaped; the password is never written here.
function ConvertTo-XmlText([string]$Text) { return [System.Security.SecurityElement]::Escape($Text) }
$arguments = "`"$cli`" --config `"$ConfigPath`""
$xml = @"
<service>
  <id>$(ConvertTo-XmlText $ServiceName)</id>
  <name>scanner-bot agent</name>
  <description>Answers scanner-bot's signed questions about this Information Protection scanner node.</description>
  <executable>$(ConvertTo-XmlText $node)</executable>
  <arguments>$(ConvertTo-XmlText $arguments)</arguments>
  <workingdirectory>$(ConvertTo-XmlText $InstallDirectory)</workingdirectory>
  <startmode>Automatic</startmode>
  <delayedAutoStart>true</delayedAutoStart>
  <stoptimeout>15 sec</stoptimeout>
  <onfailure action="restart" delay="10 sec" />
  <onfailure action="restart" delay="60 sec" />
  <resetfailure>1 hour</resetfailure>
  <logpath>$(ConvertTo-XmlText (Join-Path $DataDirectory 'logs'))</logpath>
  <log mode="roll-by-size">
    <sizeThreshold>10240</sizeThreshold>
    <keepFiles>8</keepFiles>
  </log>
</service>
"@
Copy-Item -LiteralPath $WinSWPath -Destination $wrapperExe -Force
[System.IO.File]::WriteAllText($wrapperXml, $xml, (New-Object System.Text.UTF8Encoding $false))

if (Get-Service -Name $ServiceName -ErrorAction SilentlyContinue) {
  Stop-Service -Name $ServiceName -ErrorAction SilentlyContinue
  & $wrapperExe uninstall | Out-Host
}
& $wrapperExe install | Out-Host
if ($LASTEXITCODE -ne 0) { throw "WinSW could not install the $ServiceName service." }

# 4. Log on as the scanner service account (it already holds "Log on as a service" from the scanner install).
$service = Get-CimInstance -ClassName Win32_Service -Filter "Name='$ServiceName'"
$password = $ServiceCredential.GetNetworkCredential().Password
$change = Invoke-CimMethod -InputObject $service -MethodName Change -Arguments @{ StartName = $account; StartPassword = $password }
$password = $null
if ($change.ReturnValue -ne 0) { throw "Setting the service account failed (Win32_Service.Change returned $($change.ReturnValue))." }

if ($GrantEventLogRead) {
  $readers = Get-LocalGroup -SID 'S-1-5-32-573'
  $already = Get-LocalGroupMember -Group $readers -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq $account }
  if (-not $already) { Add-LocalGroupMember -Group $readers -Member $account }
}

# 5. Firewall and start.
if ($FirewallRemoteAddress) {
  Get-NetFirewallRule -DisplayName "scanner-bot agent ($ServiceName)" -ErrorAction SilentlyContinue | Remove-NetFirewallRule
  New-NetFirewallRule -DisplayName "scanner-bot agent ($ServiceName)" -Direction Inbound -Protocol TCP -LocalPort $Port `
    -RemoteAddress $FirewallRemoteAddress -Action Allow -Profile Domain, Private | Out-Null
}
Start-Service -Name $ServiceName
Start-Sleep -Seconds 3
$state = (Get-Service -Name $ServiceName).Status
if ($state -ne 'Running') { throw "The $ServiceName service is $state; see the logs in $(Join-Path $DataDirectory 'logs')." }
Write-Host "The $ServiceName service is running as $account. Logs: $(Join-Path $DataDirectory 'logs')."
