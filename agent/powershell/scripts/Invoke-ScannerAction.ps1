# Guarded actions. The action name is checked against a fixed list; nothing from the input is run as code.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')
try {
  $probeInput = Read-ProbeInput
  $generation = Get-ScannerModuleGeneration
  $service = Get-ScannerServiceInfo
  $artifact = $null
  switch ([string]$probeInput.action) {
    'restart-service' {
      if ($service.state -eq 'NotInstalled') { throw 'The scanner service is not installed on this node.' }
      Restart-Service -Name $service.name -Force -ErrorAction Stop
      $message = "Restarted service $($service.name)."
    }
    'start-scan' {
      $cmd = Get-ScannerCommand $generation 'StartScan'
      # -Force answers the full-rescan confirmation, which a non-interactive session cannot.
      if ($probeInput.reset) { $output = & $cmd -Reset -Force *>&1 | Out-String } else { $output = & $cmd *>&1 | Out-String }
      $message = ("Ran $cmd$(if ($probeInput.reset) { ' -Reset' }). " + $output.Trim()).Trim()
    }
    'stop-scan' {
      $cmd = Get-ScannerCommand $generation 'StopScan'
      $output = & $cmd *>&1 | Out-String
      $message = ("Ran $cmd; it can take up to 5 minutes to reach every node. " + $output.Trim()).Trim()
    }
    'export-logs' {
      $cmd = Get-ScannerCommand $generation 'ExportLogs'
      $directory = [string]$probeInput.exportDirectory
      [void](New-Item -ItemType Directory -Force -Path $directory)
      $artifact = Join-Path $directory ('MSIP-logs-' + (Get-Date).ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", $script:Invariant) + '.zip')
      $output = & $cmd -FileName $artifact *>&1 | Out-String
      $message = ("Ran $cmd. " + $output.Trim()).Trim()
    }
    default { throw "Unknown action." }
  }
  Write-ProbeResult ([ordered]@{ outcome = 'done'; message = $message; artifactPath = $artifact })
}
catch {
  Write-ProbeResult ([ordered]@{ outcome = 'failed'; message = $_.Exception.Message; artifactPath = $null })
}
