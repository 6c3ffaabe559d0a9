# Shared by every scanner-bot probe script. Windows PowerShell 5.1.
# A probe reads its parameters as JSON from $env:SCANNER_BOT_PROBE_INPUT (never from its own text)
# and writes exactly one JSON document to stdout: {"ok":true,"data":...} or {"ok":false,"error":"..."}.

# Version 1 only catches unset variables: cmdlet objects differ between client versions, and a missing
# property must read as $null rather than stop the probe.
Set-StrictMode -Version 1.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$WarningPreference = 'SilentlyContinue'
# The agent decodes stdout as UTF-8; the console default (OEM code page) would mangle localized text.
try { [Console]::OutputEncoding = New-Object System.Text.UTF8Encoding $false } catch { }

$script:Invariant = [Globalization.CultureInfo]::InvariantCulture

$script:ScannerCommands = @{
  AzureInformationProtection   = @{
    Status        = 'Get-AIPScannerStatus'
    Diagnostics   = 'Start-AIPScannerDiagnostics'
    Configuration = 'Get-AIPScannerConfiguration'
    StartScan     = 'Start-AIPScan'
    StopScan      = 'Stop-AIPScan'
    ExportLogs    = 'Export-AIPLogs'
  }
  PurviewInformationProtection = @{
    Status        = 'Get-ScanStatus'
    Diagnostics   = 'Start-ScannerDiagnostics'
    Configuration = 'Get-ScannerConfiguration'
    StartScan     = 'Start-Scan'
    StopScan      = 'Stop-Scan'
    ExportLogs    = 'Export-DebugLogs'
  }
}

function Read-ProbeInput {
  $raw = $env:SCANNER_BOT_PROBE_INPUT
  if ([string]::IsNullOrWhiteSpace($raw)) { return New-Object psobject }
  return ($raw | ConvertFrom-Json)
}

# [ordered] keeps "ok" first: the agent looks for `{"ok":` to skip anything a module printed with Write-Host.
function Write-ProbeResult([object]$Data) {
  [Console]::Out.Write((ConvertTo-Json -InputObject ([ordered]@{ ok = $true; data = $Data }) -Depth 10 -Compress))
}

function Write-ProbeFailure([string]$Message) {
  [Console]::Out.Write((ConvertTo-Json -InputObject ([ordered]@{ ok = $false; error = $Message }) -Compress))
}

# The newer Purview module wins when a node has both (mid-upgrade).
function Get-ScannerModuleGeneration {
  foreach ($name in @('PurviewInformationProtection', 'AzureInformationProtection')) {
    if (Get-Module -ListAvailable -Name $name) { return $name }
  }
  return 'none'
}

function Get-ScannerCommand([string]$Generation, [string]$Verb) {
  if ($Generation -eq 'none') {
    throw 'No scanner PowerShell module (AzureInformationProtection or PurviewInformationProtection) is installed on this node.'
  }
  Import-Module -Name $Generation -ErrorAction Stop
  return $script:ScannerCommands[$Generation][$Verb]
}

# The service name differs by client (AIPScanner, MIPScanner); the binary does not.
function Get-ScannerServiceInfo {
  $svc = Get-Service -ErrorAction SilentlyContinue |
    Where-Object { @('AIPScanner', 'MIPScanner') -contains $_.Name -or $_.DisplayName -match 'Information Protection Scanner' } |
    Select-Object -First 1
  $wmi = $null
  if ($svc) {
    $name = $svc.Name
    $wmi = Get-CimInstance -ClassName Win32_Service -ErrorAction SilentlyContinue | Where-Object { $_.Name -eq $name } | Select-Object -First 1
  }
  else {
    $wmi = Get-CimInstance -ClassName Win32_Service -ErrorAction SilentlyContinue |
      Where-Object { $_.PathName -match 'MSIP\.Scanner\.exe' } | Select-Object -First 1
    if ($wmi) { $svc = Get-Service -Name $wmi.Name -ErrorAction SilentlyContinue }
  }
  if (-not $svc) { return [ordered]@{ name = 'AIPScanner'; displayName = $null; state = 'NotInstalled'; account = $null } }
  $account = $null
  if ($wmi) { $account = [string]$wmi.StartName }
  return [ordered]@{ name = $svc.Name; displayName = $svc.DisplayName; state = $svc.Status.ToString(); account = $account }
}

# Logs, reports and the policy cache live in the scanner service account's profile, which is
# not always the account this agent runs as.
function Get-ScannerLocalAppData([object]$Service) {
  $account = $Service.account
  if ($account -and $account -notmatch '^(LocalSystem|NT AUTHORITY\\)') {
    try {
      $sid = (New-Object System.Security.Principal.NTAccount($account)).Translate([System.Security.Principal.SecurityIdentifier]).Value
      $userProfile = Get-CimInstance -ClassName Win32_UserProfile -ErrorAction SilentlyContinue | Where-Object { $_.SID -eq $sid } | Select-Object -First 1
      if ($userProfile -and $userProfile.LocalPath) { return (Join-Path $userProfile.LocalPath 'AppData\Local') }
    }
    catch { }
  }
  return $env:LOCALAPPDATA
}

function ConvertTo-IsoTime([object]$Value) {
  if ($null -eq $Value -or "$Value" -eq '') { return $null }
  try { return ([datetime]$Value).ToString('o', $script:Invariant) } catch { return "$Value" }
}

# Every property as text: enums become their names, unknown future fields pass through.
function ConvertTo-TextMap([object]$Object) {
  if ($null -eq $Object) { return $null }
  $map = [ordered]@{}
  foreach ($p in $Object.PSObject.Properties) {
    if ($null -eq $p.Value) { $map[$p.Name] = $null } else { $map[$p.Name] = [string]$p.Value }
  }
  return $map
}
