# Probe: where the scanner service account's logs are, and (when enabled) the newest error events
# 3001-3007 from the scanner's event log. The agent reads MSIPScanner.iplog and its zipped rolls itself.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')
try {
  $probeInput = Read-ProbeInput
  $service = Get-ScannerServiceInfo
  $logs = $probeInput.logPath
  if (-not $logs) { $logs = Join-Path (Get-ScannerLocalAppData $service) 'Microsoft\MSIP\Logs' }
  $events = @()
  $logNames = @()
  if ($probeInput.eventLog) {
    $count = [int]$probeInput.count
    $logNames = @(Get-WinEvent -ListLog '*Information Protection Scanner*' -ErrorAction SilentlyContinue | ForEach-Object { $_.LogName })
    foreach ($logName in $logNames) {
      $found = Get-WinEvent -FilterHashtable @{ LogName = $logName; Id = 3001, 3002, 3003, 3004, 3005, 3006, 3007 } -MaxEvents $count -ErrorAction SilentlyContinue
      $events += @($found | Where-Object { $null -ne $_ } | ForEach-Object {
          [ordered]@{
            time    = $_.TimeCreated.ToUniversalTime().ToString('o', $script:Invariant)
            logName = $logName
            id      = [int]$_.Id
            level   = [string]$_.LevelDisplayName
            message = [string]$_.Message
          }
        })
    }
  }
  Write-ProbeResult ([ordered]@{ logDirectory = $logs; eventLogs = $logNames; events = $events })
}
catch {
  Write-ProbeFailure $_.Exception.Message
}
