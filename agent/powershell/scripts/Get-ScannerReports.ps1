# Probe: where the scanner's Reports folder is and which report files it holds (names, sizes, times).
# Only lists: the agent streams and aggregates the files itself, so report contents never pass through here.
. (Join-Path $PSScriptRoot 'ProbeCommon.ps1')
try {
  $probeInput = Read-ProbeInput
  $service = Get-ScannerServiceInfo
  $reports = $probeInput.reportPath
  if (-not $reports) { $reports = Join-Path (Get-ScannerLocalAppData $service) 'Microsoft\MSIP\Scanner\Reports' }
  $data = [ordered]@{ directory = $reports; exists = $false; accessDenied = $false; files = @() }
  try {
    if (Test-Path -LiteralPath $reports) {
      $data.exists = $true
      $data.files = @(Get-ChildItem -LiteralPath $reports -File -ErrorAction Stop |
          Where-Object { $_.Name -match '^(DetailedReport.*\.(csv|zip)|Summary.*\.txt)$' } |
          Sort-Object LastWriteTimeUtc -Descending | Select-Object -First ([int]$probeInput.maxFiles) |
          ForEach-Object {
            [ordered]@{
              name          = $_.Name
              path          = $_.FullName
              sizeBytes     = [long]$_.Length
              lastWriteTime = $_.LastWriteTimeUtc.ToString('o', $script:Invariant)
            }
          })
    }
  }
  catch {
    # Typed catches miss the wrapped exception -ErrorAction Stop throws in 5.1; the category does not.
    if ($_.CategoryInfo.Category -eq 'PermissionDenied' -or $_.Exception -is [System.UnauthorizedAccessException]) {
      $data.accessDenied = $true
    }
    else { throw }
  }
  Write-ProbeResult $data
}
catch {
  Write-ProbeFailure $_.Exception.Message
}
